/** Temporary credentials as the local servers hand them out. */
export interface ServedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Something that hands out current credentials, fetching new ones when needed. */
export interface CredentialSource {
  get(): Promise<ServedCredentials>;
}
