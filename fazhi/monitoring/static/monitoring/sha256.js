/* SHA-256 (FIPS 180-4) in plain JavaScript.

   The phone hashes each photo before queueing it, so that the server can prove the
   bytes it received are the bytes taken. crypto.subtle does that natively but only
   in a secure context (https or localhost); a county intranet served over plain
   http has none, so field.js falls back to this. window.fazhiSha256.hex(bytes)
   takes an ArrayBuffer or Uint8Array and returns the lower-case hex digest. */
(function (global) {
  "use strict";

  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);

  function ror(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  // Compress the 64-byte block of `b` at `off` into the state `H`.
  function block(H, W, b, off) {
    var i, x, y, t1, t2;
    for (i = 0; i < 16; i++) {
      var j = off + 4 * i;
      W[i] = (b[j] << 24) | (b[j + 1] << 16) | (b[j + 2] << 8) | b[j + 3];
    }
    for (i = 16; i < 64; i++) {
      x = W[i - 15];
      y = W[i - 2];
      W[i] = W[i - 16] + (ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) + W[i - 7] +
        (ror(y, 17) ^ ror(y, 19) ^ (y >>> 10));
    }
    var a = H[0], c1 = H[1], c = H[2], d = H[3];
    var e = H[4], f = H[5], g = H[6], h = H[7];
    for (i = 0; i < 64; i++) {
      t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) +
        K[i] + W[i]) | 0;
      t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
        ((a & c1) ^ (a & c) ^ (c1 & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = c1; c1 = a; a = (t1 + t2) | 0;
    }
    // Uint32Array stores each sum modulo 2^32.
    H[0] += a; H[1] += c1; H[2] += c; H[3] += d;
    H[4] += e; H[5] += f; H[6] += g; H[7] += h;
  }

  function hex(data) {
    var bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
    var H = new Uint32Array([
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    ]);
    var W = new Uint32Array(64);
    var n = bytes.length, full = n - (n % 64), off;
    for (off = 0; off < full; off += 64) block(H, W, bytes, off);
    // Padding: 0x80, zeros, then the length in bits as a big-endian 64-bit number.
    var tail = new Uint8Array(n - full < 56 ? 64 : 128);
    tail.set(bytes.subarray(full));
    tail[n - full] = 0x80;
    var hi = Math.floor(n / 0x20000000), lo = (n << 3) >>> 0, L = tail.length;
    tail[L - 8] = hi >>> 24; tail[L - 7] = hi >>> 16; tail[L - 6] = hi >>> 8;
    tail[L - 5] = hi; tail[L - 4] = lo >>> 24; tail[L - 3] = lo >>> 16;
    tail[L - 2] = lo >>> 8; tail[L - 1] = lo;
    for (off = 0; off < L; off += 64) block(H, W, tail, off);
    var out = "";
    for (var i = 0; i < 8; i++) out += ("00000000" + H[i].toString(16)).slice(-8);
    return out;
  }

  global.fazhiSha256 = { hex: hex };
})(typeof window !== "undefined" ? window : globalThis);
