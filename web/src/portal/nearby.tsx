/**
 * The 身边 tab: the map of open reports (MapLibre, loaded only when this tab opens — a chunk of its own,
 * outside the portal's first load) above the list grouped by area. A failed map leaves the list.
 */
import { Component, lazy, Suspense, type ReactNode } from 'react';
import { PublicList } from './more';
import { useMoreT } from './more-i18n';

const PublicMap = lazy(() => import('./PublicMap'));

class MapBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function NearbyTab() {
  const { t } = useMoreT();
  return (
    <>
      <MapBoundary fallback={<p className="hint" data-testid="public-map-failed">{t('mapFailed')}</p>}>
        <Suspense fallback={<p className="hint">{t('mapLoading')}</p>}>
          <PublicMap />
        </Suspense>
      </MapBoundary>
      <PublicList />
    </>
  );
}
