// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { captureKioskToken, clearKioskToken, getKioskToken, parseTokenFragment } from './kioskToken';

describe('parseTokenFragment', () => {
  it('takes the token and keeps the rest of the fragment', () => {
    expect(parseTokenFragment('#token=itsm_abc')).toEqual({ token: 'itsm_abc', rest: '' });
    expect(parseTokenFragment('#token=itsm_abc&view=tv')).toEqual({ token: 'itsm_abc', rest: '#view=tv' });
    expect(parseTokenFragment('#view=tv&token=itsm_a-b_c')).toEqual({ token: 'itsm_a-b_c', rest: '#view=tv' });
  });

  it('leaves fragments without a token alone', () => {
    expect(parseTokenFragment('')).toEqual({ token: null, rest: '' });
    expect(parseTokenFragment('#section-2')).toEqual({ token: null, rest: '#section-2' });
  });

  it('drops empty and whitespace-mangled tokens', () => {
    expect(parseTokenFragment('#token=')).toEqual({ token: null, rest: '' });
    expect(parseTokenFragment('#token=itsm_a%20b')).toEqual({ token: null, rest: '' });
  });
});

describe('captureKioskToken', () => {
  beforeEach(() => {
    clearKioskToken();
    window.history.replaceState(null, '', '/');
  });
  afterEach(() => vi.restoreAllMocks());

  it('stores the token from the fragment and removes it from the address bar', () => {
    window.history.replaceState(null, '', '/wallboard?floor=2#token=itsm_secret');
    expect(captureKioskToken()).toBe('itsm_secret');
    expect(window.location.href).toBe('http://localhost:3000/wallboard?floor=2');
    expect(window.location.hash).toBe('');
    expect(window.sessionStorage.getItem('itsm.kioskToken')).toBe('itsm_secret');
    expect(getKioskToken()).toBe('itsm_secret');
  });

  it('keeps the stored token across a reload without a fragment', () => {
    window.history.replaceState(null, '', '/wallboard#token=itsm_first');
    captureKioskToken();
    window.history.replaceState(null, '', '/wallboard');
    expect(captureKioskToken()).toBe('itsm_first');
  });

  it('replaces a stored token with a newer one from the fragment', () => {
    window.history.replaceState(null, '', '/wallboard#token=itsm_old');
    captureKioskToken();
    window.history.replaceState(null, '', '/wallboard#token=itsm_new');
    expect(captureKioskToken()).toBe('itsm_new');
  });

  it('does not touch history when there is nothing to strip', () => {
    const replace = vi.spyOn(window.history, 'replaceState');
    window.history.pushState(null, '', '/wallboard#other');
    captureKioskToken();
    expect(replace).not.toHaveBeenCalled();
    expect(getKioskToken()).toBeNull();
  });

  it('falls back to memory when sessionStorage is unavailable', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    window.history.replaceState(null, '', '/wallboard#token=itsm_mem');
    expect(captureKioskToken()).toBe('itsm_mem');
    expect(getKioskToken()).toBe('itsm_mem');
  });
});
