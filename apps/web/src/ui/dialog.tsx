import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal on the platform's <dialog>: focus moves in and is trapped, Escape closes, the page
 * behind is inert. No library needed, and no inline styles (the console's CSP forbids them).
 */
export function Dialog(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  testId: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={props.onClose} data-test={props.testId}>
      {props.open && (
        <>
          <h2 id={titleId} className="dialog-title">
            {props.title}
          </h2>
          {props.children}
        </>
      )}
    </dialog>
  );
}
