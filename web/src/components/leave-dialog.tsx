import { useEffect, useRef, useSyncExternalStore } from 'react';
import { getLeaveRequest, subscribeLeaveRequest, type LeaveRequest } from '../lib/router.js';

/**
 * Asks before a move to another page drops unsaved edits (see useLeaveGuard in lib/router.ts): a modal
 * dialog naming what would be lost, with **Stay on this page** (focused first; Escape too) and
 * **Leave without saving**. Staying keeps the address and the page, and the focus goes back where it was.
 */
export function LeaveDialog() {
  const request = useSyncExternalStore(subscribeLeaveRequest, getLeaveRequest);
  return request ? <OpenLeaveDialog request={request} /> : null;
}

function OpenLeaveDialog({ request }: { request: LeaveRequest }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const returnTo = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    document.getElementById('leave-stay')?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, [request]);

  return (
    <dialog
      ref={ref}
      className="card leave-dialog"
      aria-labelledby="leave-title"
      aria-describedby="leave-text"
      onCancel={(event) => {
        // Escape: the same as Stay, and closed by React with the request.
        event.preventDefault();
        request.stay();
      }}
    >
      <h2 id="leave-title">Leave without saving?</h2>
      <p id="leave-text">{request.message}</p>
      <div className="actions">
        <button type="button" id="leave-stay" className="primary" onClick={request.stay}>
          Stay on this page
        </button>
        <button type="button" className="danger" onClick={request.leave}>
          Leave without saving
        </button>
      </div>
    </dialog>
  );
}
