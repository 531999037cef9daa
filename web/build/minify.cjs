// Minifies a shipped JavaScript file with Debian's terser (scripts/bootstrap installs it): the
// embed script, and Emscripten's glue (Debian's closure compiler does not work with it, see
// ENGINEERING.md). Top-level names are kept, so `HcpWidget` and `HcpWidgetCore` stay as they are.
//   NODE_PATH=/usr/share/nodejs node minify.cjs IN.js OUT.js [HEADER]
const fs = require('fs');
const {minify} = require('terser');

const [, , input, output, header] = process.argv;
minify(fs.readFileSync(input, 'utf8'), {ecma: 2020, compress: {passes: 2}, mangle: true})
  .then((r) => fs.writeFileSync(output, (header ? `/* ${header} */\n` : '') + r.code + '\n'))
  .catch((e) => {
    console.error(`minify ${input}: ${e.message}`);
    process.exit(1);
  });
