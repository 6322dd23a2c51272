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
