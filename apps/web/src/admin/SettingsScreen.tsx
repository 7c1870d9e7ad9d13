import { useId, useState, type FormEvent } from 'react';
import {
  CompleteUploadDocument,
  CreateUploadDocument,
  TenantBrandingDocument,
  TenantSettingsDocument,
  UpdateTenantSettingsDocument,
  type TenantBrandingQuery,
  type TenantSettingsInput,
  type TenantSettingsQuery,
} from '@academy/client';
import { useMutation, useQuery } from '@academy/client/react';
import { useI18n } from '../i18n';
import { Loading } from '../screens/Loading';
import { QueryError } from '../screens/QueryError';
import { Outcome, useRefusal, type Refusal } from './shared';

type Branding = TenantBrandingQuery['tenantBranding'];
type Settings = NonNullable<TenantSettingsQuery['viewerTenant']>['settings'];

/** Mexico's time zones (IANA), the tenant's own first when it is another. */
const TIME_ZONES = [
  'America/Mexico_City',
  'America/Cancun',
  'America/Merida',
  'America/Monterrey',
  'America/Matamoros',
  'America/Chihuahua',
  'America/Ciudad_Juarez',
  'America/Ojinaga',
  'America/Mazatlan',
  'America/Bahia_Banderas',
  'America/Hermosillo',
  'America/Tijuana',
];
const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const LOGO_MAX_BYTES = 5 * 1024 * 1024;

/** `#/admin/settings`: the academy's branding (name, colour, logo, language, time zone) and settings. */
export function SettingsScreen() {
  const { t } = useI18n();
  // The same query as the header's: refetching it after saving changes the header too.
  const [branding, refetchBranding] = useQuery({ query: TenantBrandingDocument });
  const [settings, refetchSettings] = useQuery({ query: TenantSettingsDocument });
  const refresh = () => {
    refetchBranding({ requestPolicy: 'network-only' });
    refetchSettings({ requestPolicy: 'network-only' });
  };
  const tenant = settings.data?.viewerTenant;
  const loaded = branding.data?.tenantBranding;
  return (
    <section aria-labelledby="admin-settings-title">
      <h1 id="admin-settings-title">{t('admin.settings.title')}</h1>
      {(branding.fetching && !loaded) || (settings.fetching && !tenant) ? (
        <Loading />
      ) : branding.error && !loaded ? (
        <QueryError error={branding.error} retry={refresh} />
      ) : settings.error && !tenant ? (
        <QueryError error={settings.error} retry={refresh} />
      ) : loaded && tenant ? (
        <>
          <SettingsForm key={tenant.id} branding={loaded} settings={tenant.settings} onSaved={refresh} />
          <LogoForm logoUrl={loaded.logoUrl} onSaved={refresh} />
        </>
      ) : null}
    </section>
  );
}

interface Draft {
  displayName: string;
  primaryColor: string;
  locale: string;
  timezone: string;
  selfSignUp: boolean;
  employerName: string;
  employerRfc: string;
  emailFrom: string;
}

function draftOf(branding: Branding, settings: Settings): Draft {
  return {
    displayName: branding.displayName,
    primaryColor: branding.primaryColor ?? '',
    locale: branding.locale,
    timezone: branding.timezone,
    selfSignUp: settings.selfSignUp,
    employerName: settings.employerName ?? '',
    employerRfc: settings.employerRfc ?? '',
    emailFrom: settings.emailFrom ?? '',
  };
}

/** Only what changed; an emptied optional field goes back to its default (null). */
function changesOf(before: Draft, after: Draft): TenantSettingsInput {
  const input: TenantSettingsInput = {};
  const text = (field: 'displayName' | 'locale' | 'timezone') => {
    if (after[field].trim() !== before[field]) input[field] = after[field].trim();
  };
  const optional = (field: 'primaryColor' | 'employerName' | 'employerRfc' | 'emailFrom') => {
    const value = after[field].trim();
    if (value !== before[field]) input[field] = value === '' ? null : value;
  };
  text('displayName');
  optional('primaryColor');
  text('locale');
  text('timezone');
  if (after.selfSignUp !== before.selfSignUp) input.selfSignUp = after.selfSignUp;
  optional('employerName');
  optional('employerRfc');
  optional('emailFrom');
  return input;
}

function SettingsForm({ branding, settings, onSaved }: { branding: Branding; settings: Settings; onSaved: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const refusalOf = useRefusal();
  const [saved, setSaved] = useState(() => draftOf(branding, settings));
  const [draft, setDraft] = useState(saved);
  const [done, setDone] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [{ fetching }, update] = useMutation(UpdateTenantSettingsDocument);
  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => setDraft((current) => ({ ...current, [field]: value }));
  const changes = changesOf(saved, draft);
  const changed = Object.keys(changes).length > 0;
  const labels = {
    displayName: t('admin.settings.displayName'),
    primaryColor: t('admin.settings.primaryColor'),
    locale: t('admin.settings.locale'),
    timezone: t('admin.settings.timezone'),
    selfSignUp: t('admin.settings.selfSignUp'),
    employerName: t('admin.settings.employerName'),
    employerRfc: t('admin.settings.employerRfc'),
    emailFrom: t('admin.settings.emailFrom'),
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    setRefusal(null);
    if (!changed) return setDone(t('admin.settings.nothing'));
    const result = await update({ input: changes });
    if (result.error || !result.data) return setRefusal(refusalOf(result.error, { labels }));
    const tenant = result.data.updateTenantSettings;
    const next = draftOf(tenant.branding, tenant.settings);
    setSaved(next);
    setDraft(next);
    setDone(t('admin.settings.saved'));
    onSaved();
  };
  const invalid = (field: string) => refusal?.fields.includes(field) ?? false;
  const colour = /^#[0-9a-f]{6}$/i.test(draft.primaryColor) ? draft.primaryColor.toLowerCase() : '#14532d';
  const zones = TIME_ZONES.includes(draft.timezone) ? TIME_ZONES : [draft.timezone, ...TIME_ZONES];

  return (
    <form className="card admin-form" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-branding`}>
      <h2 id={`${id}-branding`}>{t('admin.settings.branding')}</h2>
      <div className="admin-form-row">
        <div>
          <label htmlFor={`${id}-name`}>{labels.displayName}</label>
          <input
            id={`${id}-name`}
            required
            maxLength={120}
            value={draft.displayName}
            aria-invalid={invalid('displayName')}
            onChange={(event) => set('displayName', event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-colour`}>{labels.primaryColor}</label>
          <div className="admin-colour">
            <input
              id={`${id}-colour`}
              value={draft.primaryColor}
              placeholder="#14532d"
              pattern="#[0-9A-Fa-f]{6}"
              maxLength={7}
              aria-describedby={`${id}-colour-hint`}
              aria-invalid={invalid('primaryColor')}
              onChange={(event) => set('primaryColor', event.target.value)}
            />
            <input
              type="color"
              value={colour}
              aria-label={t('admin.settings.pickColour')}
              onChange={(event) => set('primaryColor', event.target.value)}
            />
          </div>
          <p id={`${id}-colour-hint`} className="muted admin-hint">
            {t('admin.settings.primaryColorHint')}
          </p>
        </div>
      </div>
      <div className="admin-form-row">
        <div>
          <label htmlFor={`${id}-locale`}>{labels.locale}</label>
          <select id={`${id}-locale`} value={draft.locale} onChange={(event) => set('locale', event.target.value)}>
            {['es-MX', 'en'].includes(draft.locale) ? null : <option value={draft.locale}>{draft.locale}</option>}
            <option value="es-MX">Español (México)</option>
            <option value="en">English</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-zone`}>{labels.timezone}</label>
          <select id={`${id}-zone`} value={draft.timezone} onChange={(event) => set('timezone', event.target.value)}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace('America/', '').replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </div>
      </div>

      <h2 id={`${id}-access`}>{t('admin.settings.access')}</h2>
      <label className="admin-check">
        <input type="checkbox" checked={draft.selfSignUp} onChange={(event) => set('selfSignUp', event.target.checked)} />
        {labels.selfSignUp}
      </label>
      <p className="muted admin-hint">
        {settings.arbitraryDocuments ? t('admin.settings.arbitraryDocuments.on') : t('admin.settings.arbitraryDocuments.off')}
      </p>

      <h2>{t('admin.settings.dc3')}</h2>
      <div className="admin-form-row">
        <div>
          <label htmlFor={`${id}-employer`}>{labels.employerName}</label>
          <input
            id={`${id}-employer`}
            maxLength={254}
            value={draft.employerName}
            aria-invalid={invalid('employerName')}
            onChange={(event) => set('employerName', event.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-rfc`}>{labels.employerRfc}</label>
          <input
            id={`${id}-rfc`}
            maxLength={13}
            autoCapitalize="characters"
            aria-describedby={`${id}-rfc-hint`}
            value={draft.employerRfc}
            aria-invalid={invalid('employerRfc')}
            onChange={(event) => set('employerRfc', event.target.value)}
          />
          <p id={`${id}-rfc-hint`} className="muted admin-hint">
            {t('admin.settings.employerRfcHint')}
          </p>
        </div>
        <div>
          <label htmlFor={`${id}-from`}>{labels.emailFrom}</label>
          <input
            id={`${id}-from`}
            maxLength={80}
            aria-describedby={`${id}-from-hint`}
            value={draft.emailFrom}
            aria-invalid={invalid('emailFrom')}
            onChange={(event) => set('emailFrom', event.target.value)}
          />
          <p id={`${id}-from-hint`} className="muted admin-hint">
            {t('admin.settings.emailFromHint')}
          </p>
        </div>
      </div>
      <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
        {fetching ? t('admin.settings.saving') : t('admin.settings.save')}
      </button>
      <Outcome done={done} refusal={refusal} />
    </form>
  );
}

/** The logo: an image uploaded to the platform's storage (createUpload, then completeUpload), or none. */
function LogoForm({ logoUrl, onSaved }: { logoUrl: string | null; onSaved: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const refusalOf = useRefusal();
  const [file, setFile] = useState<File | null>(null);
  // Bumped to empty the file input once its file is saved.
  const [picker, setPicker] = useState(0);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [, createUpload] = useMutation(CreateUploadDocument);
  const [, completeUpload] = useMutation(CompleteUploadDocument);
  const [, update] = useMutation(UpdateTenantSettingsDocument);

  const save = async (logoFileId: string | null) => {
    const result = await update({ input: { logoFileId } });
    if (result.error) throw result.error;
    setDone(logoFileId ? t('admin.logo.saved') : t('admin.logo.removed'));
    setFile(null);
    setPicker((current) => current + 1);
    onSaved();
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setDone(null);
    setRefusal(null);
    try {
      await work();
    } catch (error) {
      setRefusal(refusalOf(error, { labels: { logoFileId: t('admin.logo.file'), contentType: t('admin.logo.file') } }));
    } finally {
      setBusy(false);
    }
  };
  const upload = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    if (!LOGO_TYPES.includes(file.type) || file.size > LOGO_MAX_BYTES) {
      setDone(null);
      return setRefusal({ message: t('admin.logo.invalid'), fields: ['file'] });
    }
    void run(async () => {
      const created = await createUpload({
        purpose: 'TENANT_LOGO',
        fileName: file.name,
        contentType: file.type,
        byteSize: file.size,
      });
      if (created.error || !created.data) throw created.error;
      const { uploadUrl, headers, file: stored } = created.data.createUpload;
      const put = await fetch(uploadUrl, { method: 'PUT', body: file, headers: (headers ?? {}) as Record<string, string> });
      if (!put.ok) throw new TypeError(`upload answered ${put.status}`);
      const completed = await completeUpload({ id: stored.id });
      if (completed.error || !completed.data) throw completed.error;
      await save(completed.data.completeUpload.id);
    });
  };

  return (
    <form className="card admin-form" onSubmit={upload} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('admin.logo.title')}</h2>
      {logoUrl ? (
        <p className="admin-logo">
          <img src={logoUrl} alt={t('admin.logo.current')} width={64} height={64} />
        </p>
      ) : (
        <p className="muted">{t('admin.logo.none')}</p>
      )}
      <label htmlFor={`${id}-file`}>{t('admin.logo.file')}</label>
      <input
        key={picker}
        id={`${id}-file`}
        type="file"
        accept={LOGO_TYPES.join(',')}
        aria-describedby={`${id}-hint`}
        aria-invalid={refusal?.fields.includes('file') ?? false}
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
      />
      <p id={`${id}-hint`} className="muted admin-hint">
        {t('admin.logo.hint')}
      </p>
      <button type="submit" className="button button-primary" disabled={!file || busy} aria-busy={busy}>
        {busy ? t('admin.logo.uploading') : t('admin.logo.upload')}
      </button>{' '}
      {logoUrl ? (
        <button type="button" className="button" disabled={busy} onClick={() => void run(() => save(null))}>
          {t('admin.logo.remove')}
        </button>
      ) : null}
      <Outcome done={done} refusal={refusal} />
    </form>
  );
}
