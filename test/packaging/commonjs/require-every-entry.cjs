// A CommonJS program that loads every entry point of every publishable package with require(), as a
// CommonJS app would (Node >= 20.19 loads ES modules from require()). Prints {specifier: [export names]}.
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const packages = join(__dirname, '../../../packages');
const loaded = {};
for (const dir of readdirSync(packages).sort()) {
  const file = join(packages, dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (pkg.private) continue;
  for (const key of Object.keys(pkg.exports)) {
    if (key === './package.json') continue;
    const specifier = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    loaded[specifier] = Object.keys(require(specifier)).sort();
  }
}
process.stdout.write(JSON.stringify(loaded));
