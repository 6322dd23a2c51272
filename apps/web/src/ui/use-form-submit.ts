import { type FormEvent, useState } from 'react';

/**
 * A form's submit: no page load, `busy` while `run` runs, and what it threw kept as `error`
 * (for the fields it names and the notice above them) until the next try.
 */
export function useFormSubmit(run: () => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, submit };
}
