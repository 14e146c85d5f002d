import type { Child } from 'hono/jsx';

/**
 * A page section named by its heading: `<section aria-labelledby={id}>` with `<h2 id={id}>`, so a screen reader's
 * landmarks list reads the heading. `class` (e.g. "card") follows aria-labelledby in the markup.
 */
export function TitledSection(props: { id: string; title: string; class?: string; children: Child }) {
  return (
    <section aria-labelledby={props.id} class={props.class}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}
