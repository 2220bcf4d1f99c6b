/**
 * The outcome of the last action taken in a list, shown above the list and
 * kept in view while scrolling. An action that moves its item out of the list
 * (accept, reject, publish, or any change under a status filter) would take a
 * confirmation drawn inside the item away with it on the next refresh.
 */
export function Announcement({ text }: { text: string | null }) {
  return text ? (
    <p className="notice notice-success announcement" role="status">
      {text}
    </p>
  ) : null;
}
