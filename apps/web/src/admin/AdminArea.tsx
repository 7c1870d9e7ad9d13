import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useI18n, type MessageKey } from '../i18n';
import { ImpactScreen } from './ImpactScreen';
import { UsersScreen } from './UsersScreen';
import { OrdersScreen } from './OrdersScreen';
import { CouponsScreen } from './CouponsScreen';
import { SettingsScreen } from './SettingsScreen';
import { Dc3Screen } from './Dc3Screen';
import './admin.css';

const SECTIONS: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: '/admin', label: 'admin.nav.impact', end: true },
  { to: '/admin/users', label: 'admin.nav.users' },
  { to: '/admin/orders', label: 'admin.nav.orders' },
  { to: '/admin/coupons', label: 'admin.nav.coupons' },
  { to: '/admin/settings', label: 'admin.nav.settings' },
  { to: '/admin/dc3', label: 'admin.nav.dc3' },
];

/** The tenant admin's screens, under `#/admin`, with their own navigation. */
export function AdminArea() {
  const { t } = useI18n();
  return (
    <div className="admin">
      <nav aria-label={t('admin.nav')} className="admin-nav">
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to} end={section.end ?? false}>
                {t(section.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-screen">
        <Routes>
          <Route index element={<ImpactScreen />} />
          <Route path="users" element={<UsersScreen />} />
          <Route path="orders" element={<OrdersScreen />} />
          <Route path="coupons" element={<CouponsScreen />} />
          <Route path="settings" element={<SettingsScreen />} />
          <Route path="dc3" element={<Dc3Screen />} />
          <Route path="*" element={<Navigate to="/admin" replace />} />
        </Routes>
      </div>
    </div>
  );
}
