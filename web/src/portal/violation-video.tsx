/**
 * 随手拍 evidence by video (issue 15: "at least 2 photos, or a video of at least 10 s"): the citizen
 * chooses photos or one video. The phone reads the video's length first (a hint only: the server reads
 * it from the container and refuses one under 10 s, naming the field), then the video is sent as the
 * request body; the place inside it is removed by the server. The uploaded video plays back here.
 */
import { useState } from 'react';
import i18n from './i18n';
import { useMoreT } from './more-i18n';

export interface UploadedVideo {
  id: string;
  durationMs: number;
}

export const MIN_VIDEO_SECONDS = 10;
const MAX_BYTES = 100 * 1024 * 1024;

/** The length the browser reads from the file's metadata, or null when it cannot (then the server decides). */
function localSeconds(f: File): Promise<number | null> {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(f);
    const v = document.createElement('video');
    const done = (s: number | null) => {
      URL.revokeObjectURL(url);
      resolve(s);
    };
    v.preload = 'metadata';
    v.onloadedmetadata = () => done(Number.isFinite(v.duration) ? v.duration : null);
    v.onerror = () => done(null);
    setTimeout(() => done(null), 5000);
    v.src = url;
  });
}

async function upload(f: File): Promise<UploadedVideo> {
  const res = await fetch('/api/v1/citizen/videos', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': f.type || 'application/octet-stream', 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN' }, body: f });
  const data = (await res.json().catch(() => ({}))) as { id?: string; durationMs?: number; error?: { message: string } };
  if (!res.ok || !data.id) throw new Error(data.error?.message ?? res.statusText);
  return { id: data.id, durationMs: data.durationMs ?? 0 };
}

export function VideoEvidence({ video, onChange, disabled }: { video: UploadedVideo | null; onChange: (v: UploadedVideo | null) => void; disabled: boolean }) {
  const { t } = useMoreT();
  const [state, setState] = useState<{ busy: boolean; err: string | null }>({ busy: false, err: null });
  const choose = async (f: File | undefined) => {
    if (!f) return;
    onChange(null);
    if (f.size > MAX_BYTES) return setState({ busy: false, err: t('tvVideoTooBig') });
    const s = await localSeconds(f);
    if (s !== null && s < MIN_VIDEO_SECONDS) return setState({ busy: false, err: t('tvVideoShort', { s: s.toFixed(1) }) });
    setState({ busy: true, err: null });
    try {
      onChange(await upload(f));
      setState({ busy: false, err: null });
    } catch (e) {
      setState({ busy: false, err: (e as Error).message });
    }
  };
  return (
    <div className="field" data-testid="tv-video-field">
      <span>{t('tvVideoLabel')}</span>
      <input type="file" accept="video/mp4,video/quicktime,video/webm,video/*" disabled={disabled || state.busy} onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = ''; // the same file again is a new choice
          void choose(f);
        }} aria-label={t('tvVideoLabel')} data-testid="tv-video" />
      {state.busy && <p className="hint">{t('tvVideoSending')}</p>}
      {state.err && (
        <p className="error" role="alert" data-testid="tv-video-error">
          {state.err}
        </p>
      )}
      {video && (
        <>
          <p className="ok" data-testid="tv-video-ok">
            {t('tvVideoOk', { s: (video.durationMs / 1000).toFixed(1) })}
          </p>
          <video className="evidence" src={`/api/v1/citizen/videos/${video.id}`} controls preload="metadata" playsInline />
        </>
      )}
      <p className="hint">{t('tvVideoHint', { s: MIN_VIDEO_SECONDS })}</p>
    </div>
  );
}
