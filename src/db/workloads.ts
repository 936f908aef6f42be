/** The workload catalogue seeded by the migrations: slug and display name. */
import { slugify } from '../lib/index.js';

export const WORKLOAD_CATALOGUE: readonly { slug: string; name: string }[] = [
  { slug: 'exchange-online', name: 'Exchange Online' },
  { slug: 'outlook-mobile', name: 'Outlook Mobile' },
  { slug: 'sharepoint-online', name: 'SharePoint Online' },
  { slug: 'onedrive', name: 'OneDrive' },
  { slug: 'microsoft-365-apps', name: 'Microsoft 365 Apps' },
  { slug: 'teams', name: 'Teams' },
  { slug: 'yammer', name: 'Yammer' },
  { slug: 'windows', name: 'Windows' },
  { slug: 'intune', name: 'Intune' },
  { slug: 'azure-ad-premium', name: 'Azure AD Premium' },
  { slug: 'information-protection', name: 'Information Protection' },
  { slug: 'cloud-app-security', name: 'Cloud App Security' },
  { slug: 'identity-security', name: 'Identity Security' },
  { slug: 'project-online', name: 'Project Online' },
  { slug: 'defender', name: 'Defender' },
  { slug: 'school-data-sync', name: 'School Data Sync' },
];

/**
 * The catalogue's name of a workload given by slug or name ("exchange-online", "Exchange Online"), as
 * the workload filters resolve it; undefined for a workload the catalogue does not have.
 */
export function findCatalogueWorkload(value: string): string | undefined {
  return catalogueEntry(value)?.name;
}

/**
 * The catalogue's slug of a workload given by slug or name ("Exchange Online", "exchange online",
 * "Teams"), as the list filters and reports take it; undefined for a workload the catalogue does not have.
 */
export function findCatalogueSlug(value: string): string | undefined {
  return catalogueEntry(value)?.slug;
}

function catalogueEntry(value: string): { slug: string; name: string } | undefined {
  const slug = slugify(value);
  return WORKLOAD_CATALOGUE.find((w) => w.slug === value || w.slug === slug);
}
