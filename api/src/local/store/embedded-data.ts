/** The embedded server's in-memory data as the journal reaches it (see local-server.ts). */
/** The parts of the server's in-memory collections the journal uses. */
export interface EmbeddedItems {
  _data: Map<string, { read(): Record<string, unknown> }>;
  upsert(data: Record<string, unknown>): unknown;
  delete(id: string, partition: unknown): void;
}
export interface EmbeddedData {
  /** The documents of a collection, or undefined when it does not exist. */
  documents(db: string, coll: string): EmbeddedItems | undefined;
}
