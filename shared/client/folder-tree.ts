/**
 * The decrypted folder tree. Folders nest without limit; a top-level folder holds the key its
 * whole tree is encrypted under (DESIGN.md "Key hierarchy"), so every node knows its root.
 */
export interface FolderNode {
  readonly id: string;
  readonly rootId: string;
  readonly parentId: string | null;
  readonly name: string;
  readonly revision: number;
}

export class FolderTree {
  readonly #nodes = new Map<string, FolderNode>();

  get size(): number {
    return this.#nodes.size;
  }

  get(id: string): FolderNode | undefined {
    return this.#nodes.get(id);
  }

  has(id: string): boolean {
    return this.#nodes.has(id);
  }

  set(node: FolderNode): void {
    this.#nodes.set(node.id, node);
  }

  delete(id: string): void {
    this.#nodes.delete(id);
  }

  clear(): void {
    this.#nodes.clear();
  }

  all(): FolderNode[] {
    return [...this.#nodes.values()];
  }

  /** Children of `parentId` (null: the top level), by name as people read them. */
  children(parentId: string | null): FolderNode[] {
    return this.all()
      .filter((node) => node.parentId === parentId)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** Every folder below `id`, at any depth (not `id` itself). Cycles from bad data end the walk. */
  descendants(id: string): string[] {
    const byParent = new Map<string, string[]>();
    for (const node of this.#nodes.values()) {
      if (node.parentId === null) continue;
      const list = byParent.get(node.parentId) ?? [];
      list.push(node.id);
      byParent.set(node.parentId, list);
    }
    const found: string[] = [];
    const seen = new Set<string>([id]);
    const queue = [...(byParent.get(id) ?? [])];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if (seen.has(next)) continue;
      seen.add(next);
      found.push(next);
      queue.push(...(byParent.get(next) ?? []));
    }
    return found;
  }

  /** `id` and everything below it. */
  subtree(id: string): Set<string> {
    return new Set([id, ...this.descendants(id)]);
  }

  /** Names from the top-level folder down to `id`. */
  path(id: string): string[] {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let at = this.#nodes.get(id); at !== undefined;) {
      if (seen.has(at.id)) break;
      seen.add(at.id);
      names.unshift(at.name);
      at = at.parentId === null ? undefined : this.#nodes.get(at.parentId);
    }
    return names;
  }
}
