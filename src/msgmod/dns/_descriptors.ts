// The rdata layouts wdns 0.12.0 knows (its record descriptor table): which field kinds make up
// each type's rdata and whether the layout only applies in class IN. Types without an entry
// (and every type >= 258) use the generic `\# len hex` form.

/** Field kinds of an rdata layout. */
export enum Rdf {
  Bytes,
  BytesB64,
  BytesStr,
  Name,
  Uname,
  Int8,
  Int16,
  Int32,
  Ipv4,
  Ipv6,
  Ipv6Prefix,
  Eui48,
  Eui64,
  String,
  RepString,
  RrType,
  TypeBitmap,
  Salt,
  Hash,
  SvcParams,
  EdnsOptRdata,
}

/** One type's layout. */
export interface Descriptor {
  /** True when the layout applies only to class IN (1); other classes render as "". */
  readonly classIn: boolean;
  /** The field kinds in wire order. */
  readonly fields: readonly Rdf[];
}

/**
 * The middle of SIG and RRSIG rdata (RFC 2535 §4.1, RFC 4034 §3.1): algorithm, labels,
 * original TTL, expiration, inception, key tag.
 */
const SIG_FIELDS = [Rdf.Int8, Rdf.Int8, Rdf.Int32, Rdf.Int32, Rdf.Int32, Rdf.Int16];

/** Types 0..257 may have descriptors; anything at or beyond this is generic. */
export const DESCRIPTOR_LIMIT = 258;

const un = (...fields: Rdf[]): Descriptor => ({ classIn: false, fields });
const inOnly = (...fields: Rdf[]): Descriptor => ({ classIn: true, fields });

const TABLE: Record<number, Descriptor> = {
  1: inOnly(Rdf.Ipv4), // A
  2: un(Rdf.Name), // NS
  3: un(Rdf.Name), // MD
  4: un(Rdf.Name), // MF
  5: un(Rdf.Name), // CNAME
  6: un(Rdf.Name, Rdf.Name, Rdf.Int32, Rdf.Int32, Rdf.Int32, Rdf.Int32, Rdf.Int32), // SOA
  7: un(Rdf.Name), // MB
  8: un(Rdf.Name), // MG
  9: un(Rdf.Name), // MR
  10: un(Rdf.Bytes), // NULL
  11: inOnly(Rdf.Int32, Rdf.Int8, Rdf.Bytes), // WKS
  12: un(Rdf.Name), // PTR
  13: un(Rdf.String, Rdf.String), // HINFO
  14: un(Rdf.Name, Rdf.Name), // MINFO
  15: un(Rdf.Int16, Rdf.Name), // MX
  16: un(Rdf.RepString), // TXT
  17: un(Rdf.Name, Rdf.Name), // RP
  18: un(Rdf.Int16, Rdf.Name), // AFSDB
  19: un(Rdf.String), // X25
  20: un(Rdf.String, Rdf.String), // ISDN
  21: un(Rdf.Int16, Rdf.Name), // RT
  24: un(Rdf.Int16, ...SIG_FIELDS, Rdf.Name, Rdf.Bytes), // SIG
  26: inOnly(Rdf.Int16, Rdf.Name, Rdf.Name), // PX
  28: inOnly(Rdf.Ipv6), // AAAA
  30: un(Rdf.Name, Rdf.Bytes), // NXT
  33: inOnly(Rdf.Int16, Rdf.Int16, Rdf.Int16, Rdf.Name), // SRV
  35: inOnly(Rdf.Int16, Rdf.Int16, Rdf.String, Rdf.String, Rdf.String, Rdf.Name), // NAPTR
  36: inOnly(Rdf.Int16, Rdf.Uname), // KX
  38: inOnly(Rdf.Ipv6Prefix, Rdf.Uname), // A6
  39: un(Rdf.Uname), // DNAME
  41: un(Rdf.EdnsOptRdata), // OPT
  43: un(Rdf.Int16, Rdf.Int8, Rdf.Int8, Rdf.Bytes), // DS
  46: un(Rdf.RrType, ...SIG_FIELDS, Rdf.Uname, Rdf.BytesB64), // RRSIG
  47: un(Rdf.Uname, Rdf.TypeBitmap), // NSEC
  48: un(Rdf.Int16, Rdf.Int8, Rdf.Int8, Rdf.BytesB64), // DNSKEY
  50: un(Rdf.Int8, Rdf.Int8, Rdf.Int16, Rdf.Salt, Rdf.Hash, Rdf.TypeBitmap), // NSEC3
  51: un(Rdf.Int8, Rdf.Int8, Rdf.Int16, Rdf.Salt), // NSEC3PARAM
  52: un(Rdf.Int8, Rdf.Int8, Rdf.Int8, Rdf.Bytes), // TLSA
  59: un(Rdf.Int16, Rdf.Int8, Rdf.Int8, Rdf.Bytes), // CDS
  60: un(Rdf.Int16, Rdf.Int8, Rdf.Int8, Rdf.BytesB64), // CDNSKEY
  61: un(Rdf.BytesB64), // OPENPGPKEY
  62: un(Rdf.Int32, Rdf.Int16, Rdf.TypeBitmap), // CSYNC
  64: inOnly(Rdf.Int16, Rdf.Name, Rdf.SvcParams), // SVCB
  65: inOnly(Rdf.Int16, Rdf.Name, Rdf.SvcParams), // HTTPS
  99: un(Rdf.RepString), // SPF
  108: un(Rdf.Eui48), // EUI48
  109: un(Rdf.Eui64), // EUI64
  256: un(Rdf.Int16, Rdf.Int16, Rdf.BytesStr), // URI
  257: inOnly(Rdf.Int8, Rdf.String, Rdf.BytesStr), // CAA
};

/** Descriptor by type number (undefined → generic form). */
export const DESCRIPTORS: readonly (Descriptor | undefined)[] = Array.from(
  { length: DESCRIPTOR_LIMIT },
  (_, t) => TABLE[t],
);

/** Wire size of the fixed-size field kinds (undefined for the others). */
export const FIXED_SIZE: readonly (number | undefined)[] = (() => {
  const t: (number | undefined)[] = [];
  t[Rdf.Int8] = 1;
  t[Rdf.Int16] = 2;
  t[Rdf.RrType] = 2;
  t[Rdf.Int32] = 4;
  t[Rdf.Ipv4] = 4;
  t[Rdf.Ipv6] = 16;
  t[Rdf.Eui48] = 6;
  t[Rdf.Eui64] = 8;
  return t;
})();
