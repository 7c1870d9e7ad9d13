import type * as runtime from '@prisma/client/runtime/client';
import type { Prisma, PrismaClient } from './generated/prisma/client';

/** A model's row as Prisma Client returns it (its scalar and enum fields). */
export type ModelRow<M extends Prisma.ModelName> = runtime.Types.Result.DefaultSelection<Prisma.TypeMap['model'][M]['payload']>;

interface RuntimeField {
  name: string;
  kind: 'scalar' | 'enum' | 'object' | string;
  type: string;
  dbName?: string | null;
}
interface RuntimeModel {
  dbName?: string | null;
  fields: RuntimeField[];
}

/** How a model is read as one SQL statement: its table, its columns by field, and how a row becomes the model's object. */
export interface ModelTable<M extends Prisma.ModelName = Prisma.ModelName> {
  model: M;
  table: string;
  column(field: string): string;
  has(field: string): boolean;
  /** A row selected as `to_jsonb(t)` (every column by its name, timestamps as ISO strings): the model's object. */
  fromJson(json: Record<string, unknown>): ModelRow<M>;
}

/** Field types `to_jsonb` would not give back exactly (64-bit integers above 2^53, decimals, bytes). */
const UNSUPPORTED = new Set(['BigInt', 'Decimal', 'Bytes']);

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The models' tables from Prisma Client's own data model (the generated client's
 * `runtimeDataModel`: field names, their columns, their types), so a row read without Prisma
 * Client is the same object Prisma Client would return.
 */
export class ModelTables {
  private readonly tables = new Map<string, ModelTable>();

  constructor(prisma: PrismaClient) {
    const models = (prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel.models;
    for (const [model, definition] of Object.entries(models)) {
      const fields = definition.fields.filter((field) => field.kind !== 'object');
      // JSON has no exact form for these: such a model is read through Prisma Client.
      if (fields.some((field) => UNSUPPORTED.has(field.type))) continue;
      const columns = new Map(fields.map((field) => [field.name, field.dbName ?? field.name]));
      const dates = new Set(fields.filter((field) => field.type === 'DateTime').map((field) => field.name));
      this.tables.set(model, {
        model: model as Prisma.ModelName,
        table: quote(definition.dbName ?? model),
        has: (field) => columns.has(field),
        column: (field) => {
          const column = columns.get(field);
          if (!column) throw new Error(`${model} has no field ${field}`);
          return quote(column);
        },
        fromJson: (json) => {
          const row: Record<string, unknown> = {};
          for (const [field, column] of columns) {
            // A column the database does not have (a migration not applied yet) fails, as Prisma Client would.
            if (!(column in json)) throw new Error(`${model}: the database has no column ${column}`);
            const value = json[column];
            row[field] = value !== null && dates.has(field) ? new Date(value as string) : value;
          }
          return row as ModelRow<Prisma.ModelName>;
        },
      });
    }
  }

  /** The models that can be read as rows. */
  get models(): Prisma.ModelName[] {
    return [...this.tables.keys()] as Prisma.ModelName[];
  }

  of<M extends Prisma.ModelName>(model: M): ModelTable<M> {
    const table = this.tables.get(model);
    if (!table) throw new Error(`${model} cannot be read as rows (no such model, or a BigInt, Decimal or Bytes field): use Prisma Client`);
    return table as unknown as ModelTable<M>;
  }
}
