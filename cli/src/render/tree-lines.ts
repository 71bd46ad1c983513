// A tree of text lines drawn with box-drawing characters, as `kubectl argo rollouts get` and
// `tree` draw theirs. PURE.

export interface TreeNode {
  text: string;
  children?: TreeNode[];
}

/** The root's text on the first line, then every child indented under a branch. */
export function drawTree(root: TreeNode): string[] {
  return [root.text, ...drawChildren(root.children ?? [], '')];
}

function drawChildren(children: readonly TreeNode[], prefix: string): string[] {
  return children.flatMap((child, i) => {
    const last = i === children.length - 1;
    return [
      `${prefix}${last ? '└─ ' : '├─ '}${child.text}`,
      ...drawChildren(child.children ?? [], `${prefix}${last ? '   ' : '│  '}`),
    ];
  });
}

/** Pads each column to its widest cell (the last column is not padded), two spaces apart. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
      .join('  ')
      .trimEnd(),
  );
}

/** Length without ANSI colour sequences, so coloured cells line up like plain ones. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}
