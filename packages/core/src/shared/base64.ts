/**
 * Decodes base64 strictly: Node's decoder skips invalid characters and ignores the unused low bits of the
 * last character, so several strings decode to the same bytes. A signature is accepted only in its one
 * canonical spelling, so that no altered header value still verifies.
 */
export function decodeCanonicalBase64(value: string): Buffer | undefined {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length > 0 && bytes.toString('base64') === value ? bytes : undefined;
}
