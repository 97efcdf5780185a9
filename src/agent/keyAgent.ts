/**
 * The file store's side of the agent (src/store/file/fileStore.ts calls
 * it): a cipher for a store whose key the agent holds, and a way to hand it
 * a key just derived from the passphrase, starting an agent when allowed.
 */
import { AwsmfaError } from "../errors.ts";
import type { Sealed } from "../store/file/crypto.ts";
import type { Cipher, KeyAgent } from "../store/file/keyAgent.ts";
import { askAgent, sameRelease } from "./agentClient.ts";
import { storeId } from "./storeId.ts";
import { checkSocket } from "./socketPath.ts";

export interface KeyAgentOptions {
  readonly socketPath: string;
  readonly uid: number;
  /** This awsmfa's version: an agent of another release is not used. */
  readonly version: string;
  /** Start an agent when none answers (the passphrase came from the terminal). */
  readonly autoStart: boolean;
  /** Starts `awsmfa agent` in the background on socketPath. */
  readonly spawnAgent: (socketPath: string) => Promise<void>;
  readonly debug: (message: string) => void;
  readonly warn: (message: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const START_WAIT_MS = 3000;

export function keyAgent(options: KeyAgentOptions): KeyAgent {
  const { socketPath, version, debug } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let warned = false;

  /** false (and one warning) when the socket or its directory may not be trusted. */
  async function safe(): Promise<boolean> {
    try {
      return await checkSocket(socketPath, options.uid);
    } catch (e) {
      if (!(e instanceof AwsmfaError)) throw e;
      if (!warned) options.warn(`${e.message} ${e.hint ?? ""}`.trim());
      warned = true;
      return false;
    }
  }

  async function cipher(headerText: string): Promise<Cipher | undefined> {
    if (!(await safe())) return undefined;
    const id = storeId(headerText);
    const r = await askAgent(socketPath, { op: "has", id });
    if (r === undefined) {
      debug(`no awsmfa agent answers at ${socketPath}`);
      return undefined;
    }
    if (!sameRelease(r, version)) {
      debug(
        `not using the awsmfa agent at ${socketPath}: it is version ${r.version}, this is ${version}`,
      );
      return undefined;
    }
    if (r.has !== true) {
      debug("the awsmfa agent does not hold this store's key");
      return undefined;
    }
    debug(`using the awsmfa agent at ${socketPath} for the store's key`);
    return agentCipher(socketPath, id, version);
  }

  async function remember(headerText: string, key: Buffer): Promise<void> {
    if (!(await safe()) && (await socketExists())) return;
    let hello = await askAgent(socketPath, { op: "hello" });
    if (hello !== undefined && !sameRelease(hello, version)) {
      if (!options.autoStart) return;
      debug(`replacing the awsmfa agent of version ${hello.version}`);
      await askAgent(socketPath, { op: "stop" });
      hello = undefined;
    }
    if (hello === undefined) {
      if (!options.autoStart) return;
      await options.spawnAgent(socketPath);
      for (let waited = 0; hello === undefined && waited < START_WAIT_MS; waited += 50) {
        await sleep(50);
        const r = await askAgent(socketPath, { op: "hello" });
        if (r !== undefined && sameRelease(r, version)) hello = r;
      }
      if (hello === undefined) {
        debug(`the awsmfa agent did not start at ${socketPath} within 3 s`);
        return;
      }
      debug(`started the awsmfa agent (pid ${String(hello.pid ?? "?")}) at ${socketPath}`);
    }
    const r = await askAgent(socketPath, {
      op: "offer",
      header: headerText,
      key: key.toString("base64"),
    });
    if (r?.ok === true) debug("the awsmfa agent holds the store's key now");
    else debug(`the awsmfa agent did not take the key: ${r?.message ?? "no answer"}`);
  }

  async function socketExists(): Promise<boolean> {
    try {
      return await checkSocket(socketPath, options.uid);
    } catch {
      return true;
    }
  }

  return { cipher, remember };
}

function agentCipher(socketPath: string, id: string, version: string): Cipher {
  const ask = async (req: Parameters<typeof askAgent>[1]) => {
    const r = await askAgent(socketPath, req);
    if (r === undefined || !sameRelease(r, version) || !r.ok) {
      throw new AwsmfaError(
        "E_AGENT_LOST",
        r?.error === "bad"
          ? `The awsmfa agent could not ${req.op} an item of the file store (${r.message ?? "no reason given"}).`
          : "The awsmfa agent stopped or forgot the file store's key while this command used it.",
        { hint: "Run the command again (you will be asked for the passphrase)." },
      );
    }
    return r;
  };
  return {
    async open(sealed: Sealed, aad: Buffer): Promise<Buffer | undefined> {
      const r = await ask({
        op: "open",
        id,
        nonce: sealed.nonce.toString("base64"),
        ciphertext: sealed.ciphertext.toString("base64"),
        aad: aad.toString("base64"),
      });
      return r.plain === undefined ? undefined : Buffer.from(r.plain, "base64");
    },
    async seal(plain: Buffer, aad: Buffer): Promise<Sealed> {
      const r = await ask({
        op: "seal",
        id,
        plain: plain.toString("base64"),
        aad: aad.toString("base64"),
      });
      return {
        nonce: Buffer.from(r.nonce ?? "", "base64"),
        ciphertext: Buffer.from(r.ciphertext ?? "", "base64"),
      };
    },
  };
}
