// Applies the theme and language settings to the document (data-theme drives the CSS tokens;
// lang lets screen readers pick the right voice and CSS pick CJK fonts).
import { useEffect } from 'react';
import { i18next, resolveLocale } from '../../i18n';
import { useFlint } from '../../store/store';

export function SettingsEffects() {
  const theme = useFlint((s) => s.settings.theme);
  const locale = useFlint((s) => s.settings.locale);

  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const apply = () => {
      const lng = resolveLocale(locale);
      document.documentElement.lang = lng;
      if (i18next.language !== lng) void i18next.changeLanguage(lng);
    };
    apply();
    // 'system' follows the OS language as it changes.
    window.addEventListener('languagechange', apply);
    return () => window.removeEventListener('languagechange', apply);
  }, [locale]);

  return null;
}
