import type { ReactNode } from 'react';

export function Notice(props: {
  tone: 'ok' | 'bad' | 'info';
  testId: string;
  children: ReactNode;
}) {
  return (
    <div
      className="notice"
      data-tone={props.tone}
      data-test={props.testId}
      role={props.tone === 'bad' ? 'alert' : 'status'}
    >
      {props.children}
    </div>
  );
}

/** A failure's message as a notice; nothing while there is none. */
export function ErrorNotice(props: { testId: string; message: string | null | undefined }) {
  if (!props.message) return null;
  return (
    <Notice tone="bad" testId={props.testId}>
      {props.message}
    </Notice>
  );
}
