import { ErrorSummary, type FieldErrors } from './form.js';

/**
 * The top of a form page: its heading, the error summary, what went wrong (`problem`, an alert) and what was just
 * done (`done`, a status notice).
 */
export function PageTop(props: { title: string; errorSummaryTitle: string; errors: FieldErrors; problem?: string | undefined; done?: string | undefined }) {
  return (
    <>
      <h1>{props.title}</h1>
      <ErrorSummary title={props.errorSummaryTitle} errors={props.errors} />
      {props.problem ? (
        <p class="notice notice-bad" role="alert">
          {props.problem}
        </p>
      ) : null}
      {props.done ? (
        <p class="notice" role="status">
          {props.done}
        </p>
      ) : null}
    </>
  );
}
