/**
 * Reporting configuration, one per agency (tenant): who reports (goAML reporting entity, FinCEN filer and
 * transmitter), and the code lists, which each FIU defines for itself: report codes, indicators per
 * typology, transaction modes per channel, funds codes; FinCEN suspicious-activity categories per typology.
 * Defaults fit the generic UNODC goAML 5.0.1 schema and the FinCEN SAR XML 1.2 schema; an FIU replaces
 * them with its own lists (PUT /api/tenant/reporting).
 */
import { z } from 'zod';
import { CountryCode, CurrencyCode } from '../model/index.js';

const Address = z.object({
  addressType: z.string().min(1).max(20).default('3'),
  address: z.string().min(1).max(100),
  city: z.string().min(1).max(255),
  countryCode: CountryCode,
  state: z.string().max(255).optional(),
});

export const GoamlSettings = z
  .object({
    /** Reporting entity id the FIU assigned (xs:int ≥ 1). */
    rentityId: z.number().int().min(1),
    rentityBranch: z.string().min(1).max(255),
    submissionCode: z.string().min(1).max(5).default('E'),
    currencyCodeLocal: CurrencyCode.default('USD'),
    reportingPerson: z.object({ firstName: z.string().min(1).max(100), lastName: z.string().min(1).max(100), occupation: z.string().max(255).optional() }),
    location: Address,
    /** Report codes this FIU accepts (its report_type list). */
    reportCodes: z.array(z.string().min(1).max(10)).min(1).default(['STR', 'SAR']),
    /** Indicators (the FIU's report_indicator_type list) per Rastro typology; `default` when none matches. */
    indicators: z.record(z.string(), z.array(z.string().min(1).max(25))).default({}),
    defaultIndicators: z.array(z.string().min(1).max(25)).min(1).default(['-']),
    /** transmode_code per channel (the FIU's conduction_type list). */
    transmodeCodes: z.record(z.string(), z.string().min(1).max(10)).default({}),
    defaultTransmodeCode: z.string().min(1).max(10).default('-'),
    /** from_funds_code / to_funds_code (the FIU's funds_type list). */
    fundsCode: z.string().min(1).max(10).default('-'),
    /** Institution named on accounts when the account id carries none. */
    defaultInstitution: z.string().min(1).max(255).default('unknown'),
  })
  .strict();
export type GoamlSettings = z.infer<typeof GoamlSettings>;

const FincenParty = z.object({
  name: z.string().min(1).max(150),
  tin: z.string().regex(/^\d{9}$/, 'nine-digit TIN'),
  /** PartyIdentificationTypeCode of the TIN: 2 EIN, 1 SSN/ITIN, 9 foreign. */
  tinType: z.string().min(1).max(3).default('2'),
  street: z.string().min(1).max(100),
  city: z.string().min(1).max(50),
  state: z.string().length(2),
  zip: z.string().min(3).max(9),
  country: CountryCode.default('US'),
});

export const FincenSettings = z
  .object({
    transmitter: FincenParty.extend({ tcc: z.string().regex(/^[A-Z0-9]{8}$/, 'the 8-character Transmitter Control Code') }),
    transmitterContact: z.string().min(1).max(150),
    filer: FincenParty.extend({
      /** PrimaryRegulatorTypeCode: 1 CFTC, 2 FRB, 3 FDIC, 4 IRS, 6 NCUA, 7 OCC, 9 SEC, 13 not applicable. */
      primaryRegulator: z.string().min(1).max(3).default('4'),
      /** OrganizationTypeID: 1 casino, 2 depository institution, 3 insurance, 4 MSB, 5 securities/futures, 999 other. */
      organizationType: z.string().min(1).max(3).default('2'),
    }),
    contactOffice: z.string().min(1).max(150),
    contactPhone: z.string().regex(/^\d{1,16}$/),
    /** SuspiciousActivityTypeID / SuspiciousActivitySubtypeID per typology (FinCEN SAR categories). */
    activityCodes: z.record(z.string(), z.object({ type: z.string().min(1).max(4), subtype: z.string().min(1).max(5) })).default({}),
    defaultActivity: z.object({ type: z.string().min(1).max(4), subtype: z.string().min(1).max(5) }).default({ type: '8', subtype: '823' }),
  })
  .strict();
export type FincenSettings = z.infer<typeof FincenSettings>;

export const ReportingSettings = z
  .object({
    defaultTlp: z.enum(['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED']).default('AMBER'),
    goaml: GoamlSettings.optional(),
    fincen: FincenSettings.optional(),
  })
  .strict();
export type ReportingSettings = z.infer<typeof ReportingSettings>;

/** Settings a new tenant starts with: generic code lists and placeholders to replace. */
export function defaultReportingSettings(tenantName: string): ReportingSettings {
  return ReportingSettings.parse({
    defaultTlp: 'AMBER',
    goaml: {
      rentityId: 1,
      rentityBranch: tenantName.slice(0, 255) || 'head office',
      reportingPerson: { firstName: 'Compliance', lastName: 'Officer' },
      location: { address: 'Head office', city: 'Unknown', countryCode: 'US' },
      // Generic UNODC 5.0.1 letters; an FIU's list replaces them.
      transmodeCodes: { wire: 'A', cash: 'K', card: 'C', remittance: 'A', mobile: 'A', crypto: '-', cheque: 'B', ach: 'A', internal: 'A' },
    },
    fincen: {
      transmitter: { name: tenantName.slice(0, 150) || 'Filer', tin: '000000000', street: 'Unknown', city: 'Unknown', state: 'VA', zip: '22182', tcc: 'PTCC0000' },
      transmitterContact: 'Compliance Officer',
      filer: { name: tenantName.slice(0, 150) || 'Filer', tin: '000000000', street: 'Unknown', city: 'Unknown', state: 'VA', zip: '22182' },
      contactOffice: 'BSA Compliance',
      contactPhone: '5555550100',
      // Structuring (1): multiple transactions below the reporting threshold (114); money laundering (8):
      // suspicious use of multiple accounts (812), suspicious EFT/wire transfers (807).
      activityCodes: {
        structuring: { type: '1', subtype: '114' },
        'remittance-splitting': { type: '1', subtype: '114' },
        'fan-in': { type: '8', subtype: '812' },
        'fan-out': { type: '8', subtype: '812' },
        'scatter-gather': { type: '8', subtype: '812' },
        'gather-scatter': { type: '8', subtype: '812' },
        'mule-pass-through': { type: '8', subtype: '812' },
        'rapid-movement': { type: '8', subtype: '807' },
        cycle: { type: '8', subtype: '807' },
      },
    },
  });
}

export function parseSettings(text: string, tenantName: string): ReportingSettings {
  try {
    const parsed = ReportingSettings.safeParse(JSON.parse(text));
    if (parsed.success) return { ...defaultReportingSettings(tenantName), ...parsed.data };
  } catch {
    // fall through to the defaults
  }
  return defaultReportingSettings(tenantName);
}
