// Small shared pieces: in-app links, the page heading (focus and title on
// navigation), copy buttons. Text is always rendered as text (JSX children);
// no markup is built from data anywhere.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { navigate } from "./router";

/** A link inside the dashboard: a plain left click navigates without a page
 * load; modified clicks (new tab...) and keyboard Enter behave as links do. */
export function Link({
  href,
  children,
  class: className,
  current = false,
}: {
  href: string;
  children: ComponentChildren;
  class?: string;
  /** The link to the page shown (aria-current). */
  current?: boolean;
}) {
  return (
    <a
      href={href}
      class={className}
      aria-current={current ? "page" : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.defaultPrevented) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

// The first page shown leaves the focus where the browser put it.
let firstPage = true;

/** The page's one h1. Sets the document title and, when the page changes,
 * takes the focus, so keyboard and screen-reader users start at the top. */
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Rocket Tracker`;
  }, [title]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, []);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {children ?? title}
    </h1>
  );
}

/** A button that copies `text`, and a polite status saying whether it did. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [status, setStatus] = useState("");
  return (
    <span class="copy">
      <button
        type="button"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(text);
            setStatus("Copied.");
          } catch {
            setStatus("Could not copy: select the text and copy it.");
          }
        }}
      >
        {label}
      </button>
      <span role="status" class="quiet">
        {status}
      </span>
    </span>
  );
}

/** A polite message area (saved, created...) or an alert (errors). */
export function Notice({ error, message }: { error?: string | null; message?: ComponentChildren }) {
  return (
    <>
      <div role="alert" class={error ? "notice error" : "visually-hidden"}>
        {error ?? ""}
      </div>
      <div role="status" class={message ? "notice ok" : "visually-hidden"}>
        {message ?? ""}
      </div>
    </>
  );
}

/** A labelled field: the label names the control with id `id`; the hint, if
 * any, has the id `${id}-hint` for the control's aria-describedby. */
export function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** Previous and next buttons for a list paged in the page's own state. */
export function PagerButtons({
  page,
  totalPages,
  label,
  onPage,
}: {
  page: number;
  totalPages: number;
  label: string;
  onPage: (page: number) => void;
}) {
  if (totalPages <= 1) return null;
  return (
    <nav aria-label={label} class="pager">
      <button type="button" class="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span>
        Page {page} of {totalPages}
      </span>
      <button type="button" class="secondary" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}

/** One labelled figure of a `<dl class="numbers">`. */
export function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** The one "are you sure" of the dashboard: the question, a danger button that
 * does it and Cancel, both disabled while it runs; `label` names the group
 * ("Confirm deleting …"). */
export function Confirm({
  label,
  yes,
  busy,
  onYes,
  onCancel,
  children,
}: {
  label: string;
  /** The danger button's text ("Yes, delete"). */
  yes: string;
  busy: boolean;
  onYes: () => void;
  onCancel: () => void;
  /** The question: what happens and what cannot be undone. */
  children: ComponentChildren;
}) {
  return (
    <div role="group" aria-label={label} class="confirm">
      <p>{children}</p>
      <button type="button" class="danger" disabled={busy} onClick={onYes}>
        {yes}
      </button>{" "}
      <button type="button" class="secondary" disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
