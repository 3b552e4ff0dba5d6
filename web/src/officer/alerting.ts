/**
 * How a new assignment reaches an officer whose phone is in a pocket: a sound (which the officer can
 * switch off; the choice is kept), a vibration and a system notification where the browser allows them.
 * Each assignment alerts once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

const SOUND_KEY = 'shouwang.officer.sound';

/** Three rising beeps through WebAudio (no audio file to load). */
function beep() {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return;
  const ctx = new Ctx();
  void ctx.resume?.();
  [0, 0.25, 0.5].forEach((at, i) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880 + i * 220;
    gain.gain.value = 0.25;
    osc.connect(gain).connect(ctx.destination);
    osc.start(ctx.currentTime + at);
    osc.stop(ctx.currentTime + at + 0.18);
  });
  setTimeout(() => void ctx.close().catch(() => {}), 1500);
}

export function soundEnabled(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** The sound setting, kept across visits. */
export function useSoundSetting(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(soundEnabled);
  const set = useCallback((v: boolean) => {
    setOn(v);
    try {
      localStorage.setItem(SOUND_KEY, v ? 'on' : 'off');
    } catch {
      /* storage unavailable: the choice lasts for this page */
    }
  }, []);
  return [on, set];
}

export type NotifyPermission = NotificationPermission | 'unsupported';

export function notificationPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Alerts once for every assignment id that arrives waiting for acknowledgement. Returns how many
 * alerts were given (the page shows the latest as a banner until it is acknowledged).
 */
export function useAssignmentAlert(assignment: { id: string; status: string } | null, text: { title: string; body: string }, sound: boolean): number {
  const seen = useRef(new Set<string>());
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!assignment || assignment.status !== 'assigned' || seen.current.has(assignment.id)) return;
    seen.current.add(assignment.id);
    setCount((c) => c + 1);
    if (sound) {
      try {
        beep();
      } catch {
        /* no audio: the vibration and notification remain */
      }
    }
    try {
      navigator.vibrate?.([400, 150, 400, 150, 800]);
    } catch {
      /* not allowed */
    }
    if (notificationPermission() === 'granted') {
      try {
        new Notification(text.title, { body: text.body, tag: `assignment-${assignment.id}`, requireInteraction: true });
      } catch {
        /* some phones allow notifications only from a service worker */
      }
    }
  }, [assignment, text.title, text.body, sound]);
  return count;
}
