/**
 * A QR code drawn with Unicode half blocks, two modules per character cell,
 * with the 4-module quiet zone the standard asks for. Light modules are
 * drawn (the terminal's foreground), dark ones left blank, so on the usual
 * dark terminal it reads as dark-on-light; phones' scanners read both ways.
 * Lines end in CR LF: the text is written while the terminal is in raw mode.
 *
 * qrcode-generator is loaded here, on the `mfa enroll` path only.
 */
const QUIET = 4;

export async function terminalQr(text: string): Promise<string> {
  const { default: qrcode } = await import("qrcode-generator");
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  const n = qr.getModuleCount();
  const dark = (r: number, c: number): boolean =>
    r >= 0 && c >= 0 && r < n && c < n && qr.isDark(r, c);
  const lines: string[] = [];
  for (let r = -QUIET; r < n + QUIET; r += 2) {
    let line = "";
    for (let c = -QUIET; c < n + QUIET; c++) {
      const top = !dark(r, c);
      const bottom = r + 1 < n + QUIET && !dark(r + 1, c);
      line += top ? (bottom ? "█" : "▀") : bottom ? "▄" : " ";
    }
    lines.push(line);
  }
  return `${lines.join("\r\n")}\r\n`;
}
