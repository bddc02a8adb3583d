import { negotiateLanguage } from '../i18n/accept-language';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['EN', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['en-GB', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['fr', 'zh-CN'],
    ['fr-FR,fr;q=0.9', 'zh-CN'],
    ['fr;q=1, en;q=0.5', 'en'],
    ['de, zh;q=0.3, en;q=0.7', 'en'],
    ['en;q=0.4, zh-CN;q=0.6', 'zh-CN'],
    ['zh-CN;q=0, en', 'en'],
    ['en;q=0', 'zh-CN'],
    ['*', 'zh-CN'],
    ['en, *;q=0.5', 'en'],
    ['en;q=0.8, zh;q=0.8', 'en'],
    ['en;q=high', 'zh-CN'],
    ['  en-us ; q=0.9 ', 'en'],
    ['english', 'zh-CN'],
  ])('answers %p with %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  it('reads a header sent twice as one list', () => {
    expect(negotiateLanguage(['fr', 'en;q=0.5'])).toBe('en');
  });
});
