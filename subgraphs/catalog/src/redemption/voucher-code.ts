import { randomBytes } from "node:crypto";

// Crockford base32: no I, L, O, U, so codes read aloud or typed by hand are hard to get wrong.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 120 random bits as 24 Crockford base32 characters in groups of four, e.g. `7K3M-Q9TX-…`. */
export function newVoucherCode(): string {
  const bytes = randomBytes(15);
  let bits = 0;
  let value = 0;
  let code = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      code += ALPHABET[(value >> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return code.match(/.{4}/g)!.join("-");
}
