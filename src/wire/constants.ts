/**
 * Numbers fixed by the NMSG wire format (libnmsg `nmsg/constants.h`).
 *
 * @module
 */

/** The four magic bytes every NMSG unit starts with: `"NMSG"`. */
export const NMSG_MAGIC: Uint8Array = new Uint8Array([0x4e, 0x4d, 0x53, 0x47]);
/** The protocol version writers emit and the only one sockets accept. */
export const NMSG_VERSION = 2;
/** Header flag: the data part is `4-byte BE length + zlib stream`. */
export const NMSG_FLAG_ZLIB = 0x01;
/** Header flag: the data part is an `NmsgFragment`. */
export const NMSG_FLAG_FRAGMENT = 0x02;
/** Size of a version-2 unit header: magic, flags, version, 32-bit length. */
export const NMSG_HEADER_SIZE = 10;
/** Size of a version-1 unit header: magic, 16-bit version, 16-bit length. */
export const NMSG_HEADER_SIZE_V1 = 8;
/** Smallest container size a writer accepts; smaller values are raised to it. */
export const NMSG_WBUFSZ_MIN = 512;
/** Largest container size, and the size nmsgtool uses for file outputs. */
export const NMSG_WBUFSZ_MAX = 1048576;
/** Default container size for socket, ZMQ and Kafka outputs. */
export const NMSG_WBUFSZ_JUMBO = 8192;
/** Container size for Ethernet-MTU sockets (pynmsg's default). */
export const NMSG_WBUFSZ_ETHER = 1280;
/** Default limit on one unit's declared length and on a zlib container's inflated size. */
export const NMSG_DEFAULT_MAX_SIZE: number = 64 * 1024 * 1024;
