// Offline check of Bicep templates (no Bicep CLI can run here): syntax (tree-sitter-bicep), undeclared
// identifiers, module paths, module parameters (unknown, missing required) and module outputs used,
// resource types with an API version, and parameter files naming only declared parameters and every
// required one. Not a type checker. Usage: node bicep-check.js <dir with main.bicep>; exit 1 on problems.
const fs = require("fs");
const path = require("path");
const Parser = require("tree-sitter");
const Bicep = require("tree-sitter-bicep");

const parser = new Parser();
parser.setLanguage(Bicep);
const problems = [];
const cache = new Map();

function walk(node, visit) {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

function declarationName(node) {
  return node.namedChildren.find(c => c.type === "identifier");
}

function parseFile(file) {
  if (cache.has(file)) return cache.get(file);
  const tree = parser.parse(fs.readFileSync(file, "utf8"));
  const info = { file, tree, params: new Map(), outputs: new Set(), symbols: new Map() };
  walk(tree.rootNode, n => {
    if (n.type === "ERROR" || n.isMissing) {
      problems.push(`${file}:${n.startPosition.row + 1}: syntax error near '${n.text.slice(0, 40)}'`);
    }
  });
  for (const d of tree.rootNode.namedChildren) {
    const name = declarationName(d);
    if (!name) continue;
    if (d.type === "parameter_declaration") {
      info.params.set(name.text, d.children.some(c => c.type === "="));
    } else if (d.type === "output_declaration") {
      info.outputs.add(name.text);
      continue;
    }
    if (["parameter_declaration", "variable_declaration", "resource_declaration", "module_declaration",
      "type_declaration", "user_defined_function"].includes(d.type)) {
      info.symbols.set(name.text, d);
    }
  }
  cache.set(file, info);
  return info;
}

function isReference(id) {
  const p = id.parent;
  if (!p) return false;
  if (p.type === "object_property" && p.namedChildren[0] && p.namedChildren[0].id === id.id) return false;
  if (p.type === "call_expression" && p.namedChildren[0] && p.namedChildren[0].id === id.id) return false;
  if (p.type === "decorator" || p.type === "type") return false;
  if (["parameter_declaration", "variable_declaration", "resource_declaration", "module_declaration",
    "output_declaration", "type_declaration", "user_defined_function"].includes(p.type)
    && declarationName(p).id === id.id) return false;
  return true;
}

function check(file) {
  const info = parseFile(file);
  const dir = path.dirname(file);
  const loopVars = new Set();
  walk(info.tree.rootNode, n => {
    if (n.type === "for_statement" || n.type === "lambda_expression") {
      // the identifiers before 'in' (or '=>') are the loop's / lambda's own variables
      for (const c of n.children) {
        if (c.type === "in" || c.type === "=>") break;
        walk(c, x => {
          if (["identifier", "loop_variable", "loop_enumerator"].includes(x.type)) loopVars.add(x.text);
        });
      }
    }
  });
  walk(info.tree.rootNode, n => {
    if (n.type === "identifier" && isReference(n) && !info.symbols.has(n.text) && !loopVars.has(n.text)
        && !["az", "sys"].includes(n.text)) {
      problems.push(`${file}:${n.startPosition.row + 1}: '${n.text}' is not declared`);
    }
    if (n.type === "resource_declaration") {
      const type = n.namedChildren.find(c => c.type === "string");
      if (type && !/^'[A-Za-z0-9.]+\/[A-Za-z0-9./]+@\d{4}-\d{2}-\d{2}(-preview)?'$/.test(type.text)) {
        problems.push(`${file}:${n.startPosition.row + 1}: resource type ${type.text} needs <provider>/<type>@<api version>`);
      }
    }
    if (n.type === "module_declaration") checkModule(file, dir, info, n);
  });
}

function checkModule(file, dir, info, node) {
  const where = `${file}:${node.startPosition.row + 1}`;
  const target = path.join(dir, node.namedChildren.find(c => c.type === "string").text.slice(1, -1));
  if (!fs.existsSync(target)) {
    problems.push(`${where}: module file ${target} does not exist`);
    return;
  }
  const module = parseFile(target);
  check(target);
  let given = null;
  walk(node, n => {
    if (given === null && n.type === "object_property" && n.namedChildren[0].text === "params") {
      given = new Set(n.namedChildren[1].namedChildren.filter(p => p.type === "object_property")
        .map(p => p.namedChildren[0].text));
    }
  });
  given = given || new Set();
  for (const g of given) {
    if (!module.params.has(g)) problems.push(`${where}: module ${target} has no parameter '${g}'`);
  }
  for (const [param, hasDefault] of module.params) {
    if (!hasDefault && !given.has(param)) problems.push(`${where}: module ${target} needs parameter '${param}'`);
  }
  const symbol = declarationName(node).text;
  walk(info.tree.rootNode, n => {
    if (n.type === "member_expression" && n.text.startsWith(symbol + ".outputs.")) {
      const output = n.text.slice(symbol.length + ".outputs.".length).split(".")[0];
      if (!module.outputs.has(output)) {
        problems.push(`${file}:${n.startPosition.row + 1}: module ${target} has no output '${output}'`);
      }
    }
  });
}

function checkParameterFiles(dir, main) {
  for (const f of fs.readdirSync(dir).filter(f => /^main\.parameters.*\.json$/.test(f))) {
    const given = Object.keys(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")).parameters || {});
    for (const g of given) {
      if (!main.params.has(g)) problems.push(`${path.join(dir, f)}: main.bicep has no parameter '${g}'`);
    }
    for (const [param, hasDefault] of main.params) {
      if (!hasDefault && !given.includes(param)) problems.push(`${path.join(dir, f)}: parameter '${param}' is required`);
    }
  }
}

const dir = process.argv[2] || "../infra/bicep";
const main = path.join(dir, "main.bicep");
check(main);
checkParameterFiles(dir, parseFile(main));
const unique = [...new Set(problems)];
const files = cache.size;
if (unique.length) {
  console.log(unique.join("\n"));
  console.log(`bicep-check: ${unique.length} problem(s) in ${files} file(s)`);
  process.exit(1);
}
console.log(`bicep-check: ${files} file(s) OK`);
