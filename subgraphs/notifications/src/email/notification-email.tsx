import { Body } from '@react-email/body';
import { Button } from '@react-email/button';
import { Container } from '@react-email/container';
import { Head } from '@react-email/head';
import { Heading } from '@react-email/heading';
import { Hr } from '@react-email/hr';
import { Html } from '@react-email/html';
import { Preview } from '@react-email/preview';
import { render } from '@react-email/render';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import type { CSSProperties } from 'react';
import { emailLocale, layoutStrings, type EmailLocale } from './layout-strings';

export const DEFAULT_PRIMARY_COLOR = '#1f7a4d';

export interface EmailBranding {
  tenantName: string;
  /** #RRGGBB; anything else gets the default green. */
  primaryColor: string | null;
  logoUrl?: string | null;
}

export interface EmailContent {
  locale: EmailLocale;
  recipientName: string;
  /** Already localized; also the subject. */
  title: string;
  /** Already localized plain text; paragraphs separated by blank lines. */
  body: string;
  /** A button. */
  action: { label: string; url: string } | null;
  /** Where to change preferences; its footer line says why they get this email. Null for invitation/password reset. */
  preferencesUrl: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export async function renderNotificationEmail(branding: EmailBranding, content: EmailContent): Promise<RenderedEmail> {
  const email = <NotificationEmail branding={branding} content={content} />;
  const [html, text] = await Promise.all([
    render(email),
    // The title as written (html-to-text capitalizes headings by default).
    render(email, { plainText: true, htmlToTextOptions: { selectors: [{ selector: 'h1', options: { uppercase: false } }] } }),
  ]);
  return { subject: content.title, html, text };
}

export function NotificationEmail({ branding, content }: { branding: EmailBranding; content: EmailContent }) {
  const locale = emailLocale(content.locale);
  const strings = layoutStrings[locale];
  const primary = brandColor(branding.primaryColor);
  const onPrimary = readableTextColor(primary);
  // Links sit on white: a light brand colour would not be readable there.
  const link = { color: onPrimary === '#ffffff' ? primary : '#111111' };
  const logoUrl = branding.logoUrl && /^https:\/\//i.test(branding.logoUrl) ? branding.logoUrl : null;
  return (
    <Html lang={locale}>
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <style>{'@media only screen and (max-width: 600px) { .content { padding: 20px 16px !important; } }'}</style>
      </Head>
      <Preview>{previewText(content.body)}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Section style={{ ...styles.header, backgroundColor: primary }}>
            {logoUrl ? <img src={logoUrl} alt="" height={32} style={styles.logo} /> : null}
            <Text style={{ ...styles.tenantName, color: onPrimary }}>{branding.tenantName}</Text>
          </Section>
          <Section className="content" style={styles.content}>
            <Heading as="h1" style={styles.title}>
              {content.title}
            </Heading>
            <Text style={styles.paragraph}>{strings.greeting(content.recipientName)}</Text>
            {paragraphs(content.body).map((lines, index) => (
              <Text key={index} style={styles.paragraph}>
                {lines.map((line, lineIndex) => (
                  <span key={lineIndex}>
                    {lineIndex > 0 ? <br /> : null}
                    {line}
                  </span>
                ))}
              </Text>
            ))}
            {content.action ? (
              <>
                <Section style={styles.actionRow}>
                  <Button href={content.action.url} style={{ ...styles.button, backgroundColor: primary, color: onPrimary }}>
                    {content.action.label}
                  </Button>
                </Section>
                {/* The plain text already has the URL next to the button's label. */}
                <Text style={styles.fallback} data-skip-in-text={true}>
                  {strings.buttonFallback}{' '}
                  <a href={content.action.url} style={{ ...link, wordBreak: 'break-all' }}>
                    {content.action.url}
                  </a>
                </Text>
              </>
            ) : null}
          </Section>
          <Hr style={styles.rule} />
          <Section style={styles.footer}>
            <Text style={styles.footerText}>
              {content.preferencesUrl ? strings.reasonNotification(branding.tenantName) : strings.reasonTransactional(branding.tenantName)}
            </Text>
            {content.preferencesUrl ? (
              <Text style={styles.footerText}>
                <a href={content.preferencesUrl} style={link}>
                  {strings.changePreferences}
                </a>
              </Text>
            ) : null}
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

/** The tenant's colour when it is #RRGGBB, the default otherwise (it goes into inline CSS). */
export function brandColor(color: string | null | undefined): string {
  return color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : DEFAULT_PRIMARY_COLOR;
}

/** White on dark colours, near-black on light ones (relative luminance, WCAG). */
function readableTextColor(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((start) => {
    const channel = parseInt(hex.slice(start, start + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against white (1.05 / (L + 0.05)) beats contrast against #111 from this point down.
  return luminance > 0.18 ? '#111111' : '#ffffff';
}

function previewText(body: string): string {
  return (
    body
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0) ?? ''
  );
}

function paragraphs(body: string): string[][] {
  return body
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0),
    )
    .filter((lines) => lines.length > 0);
}

const fontFamily = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const styles = {
  body: { backgroundColor: '#f4f5f7', margin: 0, padding: '24px 0', fontFamily },
  container: { width: '100%', maxWidth: '600px', backgroundColor: '#ffffff', borderRadius: '8px', overflow: 'hidden' },
  header: { padding: '16px 32px' },
  logo: { display: 'inline-block', verticalAlign: 'middle', marginRight: '12px', border: 0 },
  tenantName: { display: 'inline-block', verticalAlign: 'middle', margin: 0, fontSize: '18px', fontWeight: 700, lineHeight: '32px' },
  content: { padding: '32px' },
  title: { margin: '0 0 16px', fontSize: '22px', lineHeight: '30px', color: '#111111' },
  paragraph: { margin: '0 0 16px', fontSize: '16px', lineHeight: '24px', color: '#333333' },
  actionRow: { padding: '8px 0 16px' },
  button: { display: 'inline-block', padding: '12px 24px', borderRadius: '6px', fontSize: '16px', fontWeight: 600, textDecoration: 'none' },
  fallback: { margin: 0, fontSize: '13px', lineHeight: '20px', color: '#666666' },
  rule: { borderColor: '#e5e7eb', margin: 0 },
  footer: { padding: '16px 32px 24px' },
  footerText: { margin: '0 0 8px', fontSize: '12px', lineHeight: '18px', color: '#6b7280' },
} satisfies Record<string, CSSProperties>;
