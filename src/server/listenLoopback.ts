/** An HTTP server on 127.0.0.1, any free port; the handler is told the port. */
import { createServer, type RequestListener, type Server } from "node:http";

export interface LoopbackServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function listenLoopback(
  handler: (port: number) => RequestListener,
): Promise<LoopbackServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    server.close();
    throw new Error("the credential server has no TCP address");
  }
  const { port } = address;
  server.on("request", handler(port));
  return {
    port,
    url: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
