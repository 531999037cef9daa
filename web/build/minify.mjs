// Shrinks hcp-widget.js for shipping without changing a single token: comments go, indentation
// goes, and a line break stays wherever the source had one between two tokens, so automatic
// semicolon insertion reads the result exactly as it read the source. Acorn (Debian's node-acorn,
// which Emscripten uses too) tokenises, so strings and regular expressions are copied verbatim.
//   node minify.mjs IN.js OUT.js
import fs from 'node:fs';
import {tokenizer} from '/usr/share/nodejs/acorn/dist/acorn.mjs';

const [, , input, output] = process.argv;
const src = fs.readFileSync(input, 'utf8');
const word = (c) => /[A-Za-z0-9_$\\]/.test(c) || c > '\x7f';
let out = '';
let prevEnd = 0;
for (const tok of tokenizer(src, {ecmaVersion: 2020})) {
  if (tok.type.label === 'eof') break;
  const text = src.slice(tok.start, tok.end);
  if (out) {
    const gap = src.slice(prevEnd, tok.start);
    const a = out[out.length - 1], b = text[0];
    if (/[\n\r\u2028\u2029]/.test(gap.replace(/\/\*[\s\S]*?\*\//g, (c) => (/\n/.test(c) ? '\n' : '')))) out += '\n';
    else if ((word(a) && word(b)) || (a === b && '+-'.includes(a)) || a === '/' || b === '/') out += ' ';
  }
  out += text;
  prevEnd = tok.end;
}
// The licence-free header line stays, so a reader of the shipped file knows what it is.
fs.writeFileSync(output, '/* haochaping rating widget: hcp-widget.js (docs/embedding.md) */\n' + out + '\n');
