/** A value a JSON request body carries losslessly (checked at run time by `checkJsonValue`). */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/** A JSON object of request fields; `undefined` fields are left out. */
export type JsonFields = { readonly [field: string]: JsonValue | undefined };
