/**
 * Keepsafe's own lint rules (issue 7, "One door"), loaded by eslint.config.js as the `keepsafe`
 * plugin. Plain JavaScript so ESLint loads them without a TypeScript step.
 *
 * - no-role-comparison: a role decision is the policy's (src/domain/policy/). Comparing a role to
 *   a literal anywhere else is a second door that can disagree with it.
 * - no-hand-written-response-type: the tab takes API request and response types from
 *   src/contract; a type or schema of its own with a contract name, or a zod schema, is a copy
 *   of the contract that can drift from it.
 */

const EQUALITY = new Set(["==", "===", "!=", "!=="]);

/** `role`, `x.role`, `x?.role`, `x["role"]`. */
function isRole(node) {
  if (!node) return false;
  if (node.type === "ChainExpression") return isRole(node.expression);
  if (node.type === "TSNonNullExpression" || node.type === "TSAsExpression") return isRole(node.expression);
  if (node.type === "Identifier") return node.name === "role";
  if (node.type === "MemberExpression") {
    if (!node.computed) return node.property.type === "Identifier" && node.property.name === "role";
    return node.property.type === "Literal" && node.property.value === "role";
  }
  return false;
}

const isStringConstant = (node) =>
  (node.type === "Literal" && typeof node.value === "string") || (node.type === "TemplateLiteral" && node.expressions.length === 0);

const noRoleComparison = {
  meta: {
    type: "problem",
    docs: { description: "Role decisions are made in src/domain/policy/ only" },
    schema: [],
    messages: {
      compare: "Role decision outside the policy: ask src/domain/policy (authorize / can…) instead of comparing a role to {{value}}.",
      switch: "Role decision outside the policy: a switch on a role belongs in src/domain/policy.",
    },
  },
  create(context) {
    return {
      BinaryExpression(node) {
        if (!EQUALITY.has(node.operator)) return;
        const [role, other] = isRole(node.left) ? [node.left, node.right] : isRole(node.right) ? [node.right, node.left] : [];
        if (role && isStringConstant(other)) context.report({ node, messageId: "compare", data: { value: context.sourceCode.getText(other) } });
      },
      // `["DSL", "DDSL"].includes(actor.role)`, `new Set(["SLT"]).has(role)`: a comparison by list.
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier") return;
        if (!["includes", "has", "indexOf"].includes(callee.property.name) || !isRole(node.arguments[0])) return;
        const list =
          callee.object.type === "NewExpression" && callee.object.arguments[0]?.type === "ArrayExpression"
            ? callee.object.arguments[0]
            : callee.object;
        if (list.type === "ArrayExpression" && list.elements.length > 0 && list.elements.every((e) => e && isStringConstant(e)))
          context.report({ node, messageId: "compare", data: { value: context.sourceCode.getText(list) } });
      },
      SwitchStatement(node) {
        if (isRole(node.discriminant)) context.report({ node: node.discriminant, messageId: "switch" });
      },
    };
  },
};

const noHandWrittenResponseType = {
  meta: {
    type: "problem",
    docs: { description: "The tab takes API types and schemas from src/contract, never its own" },
    schema: [
      {
        type: "object",
        properties: { contractNames: { type: "array", items: { type: "string" } } },
        additionalProperties: false,
      },
    ],
    messages: {
      contractName: "'{{name}}' is an API type: import it from src/contract instead of declaring it in the tab.",
      suffix: "'{{name}}' looks like a hand-written API type: take request and response types from src/contract.",
      schema: "A zod schema in the tab: parse API data with src/contract's schemas instead.",
    },
  },
  create(context) {
    const contractNames = new Set(context.options[0]?.contractNames ?? []);
    const checkName = (id) => {
      if (!id) return;
      if (contractNames.has(id.name)) context.report({ node: id, messageId: "contractName", data: { name: id.name } });
      else if (/(Response|ResponseBody|View|Dto|Schema)$/.test(id.name)) context.report({ node: id, messageId: "suffix", data: { name: id.name } });
    };
    return {
      TSInterfaceDeclaration: (node) => checkName(node.id),
      TSTypeAliasDeclaration: (node) => checkName(node.id),
      VariableDeclarator(node) {
        if (node.id.type === "Identifier" && /Schema$/.test(node.id.name)) context.report({ node: node.id, messageId: "schema" });
      },
      // `z.object(...)`, `z.string()`…: whatever the binding is called, a zod builder call.
      "CallExpression > MemberExpression.callee[object.type='Identifier'][object.name='z']"(node) {
        context.report({ node, messageId: "schema" });
      },
    };
  },
};

export default {
  meta: { name: "eslint-plugin-keepsafe" },
  rules: {
    "no-role-comparison": noRoleComparison,
    "no-hand-written-response-type": noHandWrittenResponseType,
  },
};
