// JSON text of a view whose `root` is a tree of nodes with `children` arrays, written
// without recursion: JSON.stringify overflows the stack on a few thousand levels, and a
// profile may hold a stack of 100,000 frames.
interface TreeNode {
  children: TreeNode[];
}

const HOLE = '\u0000tree\u0000';

/** One node's own fields as JSON, its children left open: `{"name":..,"children":[`. */
function open(n: TreeNode): string {
  const own = JSON.stringify({ ...n, children: undefined });
  return `${own.length > 2 ? `${own.slice(0, -1)},` : '{'}"children":[`;
}

export function treeToJson(root: TreeNode): string {
  const out: string[] = [open(root)];
  const stack: { n: TreeNode; i: number }[] = [{ n: root, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i < top.n.children.length) {
      const c = top.n.children[top.i]!;
      if (top.i > 0) out.push(',');
      top.i++;
      out.push(open(c));
      stack.push({ n: c, i: 0 });
    } else {
      out.push(']}');
      stack.pop();
    }
  }
  return out.join('');
}

/** JSON of `body` with its `root` tree written by treeToJson. */
export function viewWithTreeToJson<T extends { root: TreeNode }>(body: T): string {
  const text = JSON.stringify({ ...body, root: HOLE });
  return text.replace(JSON.stringify(HOLE), () => treeToJson(body.root));
}
