import { api } from '../api/client.js';
import { Empty, ErrorMessage, Loading } from '../components/states.js';
import { usePartners } from '../lib/reference-data.js';
import { useAsync } from '../lib/use-async.js';

/** Admins: the users and their roles. */
export default function UsersPage() {
  const users = useAsync(() => api.listUsers(), []);
  const partners = usePartners();
  if (users.status === 'error') return <ErrorMessage error={users.error} onRetry={users.reload} />;
  if (!users.data) return <Loading label="Loading users…" />;
  return (
    <div className="page users">
      <h1>Users</h1>
      {users.data.items.length === 0 ? (
        <Empty>No users.</Empty>
      ) : (
        <table className="data-table">
          <caption className="visually-hidden">Users and their roles</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Partner</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{u.partnerId === null ? 'all (admin)' : (partners.data?.find((p) => p.id === u.partnerId)?.name ?? `#${u.partnerId}`)}</td>
                <td>{u.disabled ? 'disabled' : 'active'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
