/** `bootstrap --apply`: plan, print, apply, then the role profile in ~/.aws/config. */
import { displayPath } from "../config/paths.ts";
import type { BootstrapOptions } from "../iam/bootstrapTemplate.ts";
import { resolveIamEndpoint } from "../aws/iamEndpoint.ts";
import type { CommandInput } from "./command.ts";
import { loadConfig, openSecretStore, requireStoredKeys } from "./services.ts";

export interface ApplyFlags {
  readonly dryRun: boolean;
  readonly addUsers: readonly string[];
  readonly sourceProfile: string | undefined;
  readonly configProfile: string | undefined;
}

export async function applyBootstrap(
  input: CommandInput,
  profile: string,
  o: BootstrapOptions,
  flags: ApplyFlags,
): Promise<number> {
  const { ctx } = input;
  const config = await loadConfig(input);
  const store = await openSecretStore(input);
  const keys = await requireStoredKeys(store, profile, "an IAM administrator's");
  const sourceProfile = flags.sourceProfile ?? profile;
  const configProfile = flags.configProfile ?? o.roleName;
  const label = config.configFileLabel ?? displayPath(config.configFile, ctx.homedir);
  const p = config.profiles.get(profile);
  const endpoint = resolveIamEndpoint(ctx.env, config, p === undefined ? [] : [p], "aws");
  input.debug(`IAM endpoint ${endpoint.url} (from ${endpoint.from})`);
  const [{ createSdkIamAdminClient }, plan, lines] = await Promise.all([
    import("../iam/sdkIamAdminClient.ts"),
    import("../iam/bootstrapPlan.ts"),
    import("../iam/roleProfileLines.ts"),
  ]);
  const iam = createSdkIamAdminClient({
    credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
    endpoint: endpoint.url,
    region: endpoint.region,
    timeoutMs: 15_000,
  });
  const { roleArn, steps } = await plan.planBootstrap({ ...o, addUsers: flags.addUsers }, iam);
  const want = lines.roleProfileLines(roleArn, sourceProfile, config.profiles.get(sourceProfile));
  const missing = lines.missingLines(want, config.profiles.get(configProfile));
  const todo = [
    ...steps.map(plan.describeStep),
    ...missing.map(([k, v]) => `set ${k} = ${v} in [profile ${configProfile}] of ${label}`),
  ];
  if (todo.length === 0) {
    ctx.stderr(`awsmfa: bootstrap: everything is in place (role ${roleArn}); nothing changed.\n`);
    return 0;
  }
  if (flags.dryRun) {
    ctx.stdout(todo.map((t) => `would ${t}\n`).join(""));
    ctx.stderr("awsmfa: bootstrap: dry run; nothing changed.\n");
    return 0;
  }
  for (const step of steps) {
    await plan.applyStep(step, iam, o);
    ctx.stdout(`${plan.describeStep(step)}\n`);
  }
  if (missing.length > 0) {
    await lines.writeProfileLines(config.configFile, label, configProfile, missing);
    for (const [k, v] of missing)
      ctx.stdout(`set ${k} = ${v} in [profile ${configProfile}] of ${label}\n`);
  }
  ctx.stderr(`awsmfa: bootstrap: done; use the role with 'awsmfa exec ${configProfile}'.\n`);
  return 0;
}
