/**
 * The paging of TikTok's search endpoints (Search Orders, Search Cancellations): `page_size` and an opaque
 * `page_token` in the query, `next_page_token` in the answer (docs/PROTOCOLS.md §3.6). The simulator's token
 * is the offset, encoded; a client must treat it as opaque.
 */
export interface Page {
  size: number;
  offset: number;
  sortField?: 'create_time' | 'update_time';
  sortOrder?: 'ASC' | 'DESC';
}

export function pageToken(offset: number): string {
  return Buffer.from(`sim-page:${offset}`).toString('base64');
}

/** The page the query asks for, or what is wrong with it. */
export function pageOf(query: Record<string, string>, maxSize: number): Page | string {
  const size = Number(query.page_size);
  if (!/^\d+$/.test(query.page_size ?? '') || size < 1 || size > maxSize) {
    return `page_size is required: 1 to ${maxSize}`;
  }
  let offset = 0;
  if (query.page_token !== undefined && query.page_token !== '') {
    const match = /^sim-page:(\d{1,9})$/.exec(Buffer.from(query.page_token, 'base64').toString());
    if (!match) return 'page_token is not one this API answered';
    offset = Number(match[1]);
  }
  const sortField = query.sort_field;
  if (sortField !== undefined && sortField !== 'create_time' && sortField !== 'update_time') {
    return 'sort_field must be create_time or update_time';
  }
  const sortOrder = query.sort_order;
  if (sortOrder !== undefined && sortOrder !== 'ASC' && sortOrder !== 'DESC') {
    return 'sort_order must be ASC or DESC';
  }
  return {
    size,
    offset,
    ...(sortField === undefined ? {} : { sortField }),
    ...(sortOrder === undefined ? {} : { sortOrder }),
  };
}
