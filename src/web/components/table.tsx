/** A table's column headings; `num` columns are right-aligned (amounts). */
export function HeadRow(props: { columns: { label: string; num?: boolean }[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((col) => (
          <th scope="col" class={col.num ? 'num' : undefined}>
            {col.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
