/**
 * A request's body as UTF-8 text for the local stand-in servers, which read bodies into memory and
 * so each cap them. Past the cap it throws BodyTooLargeError, which each server answers as 413 or
 * its own error shape.
 */
export class BodyTooLargeError extends Error {}

export async function readBodyText(req: AsyncIterable<unknown>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // The message is what the local Teams host's connector answers with (400 BadSyntax).
    if (size > maxBytes) throw new BodyTooLargeError("Body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
