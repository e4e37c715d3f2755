// Wrappers for C macros and variadic functions that Swift cannot import.
#ifndef PARLEY_CSHIM_H
#define PARLEY_CSHIM_H

#include <sys/socket.h>
#include <sys/epoll.h>  // not in Swift's Glibc module (the load generator's poller)
#include <opus/opus.h>
#include <openssl/ssl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>

// Opus ctl requests (opus_encoder_ctl / opus_decoder_ctl are variadic).
int parley_opus_set_bitrate(OpusEncoder *enc, int bitrate);
int parley_opus_set_complexity(OpusEncoder *enc, int complexity);
int parley_opus_set_inband_fec(OpusEncoder *enc, int on);
int parley_opus_set_packet_loss_perc(OpusEncoder *enc, int percent);
int parley_opus_set_dtx(OpusEncoder *enc, int on);
int parley_opus_set_signal(OpusEncoder *enc, int signal);
int parley_opus_set_force_channels(OpusEncoder *enc, int channels);
int parley_opus_encoder_reset(OpusEncoder *enc);
int parley_opus_set_application(OpusEncoder *enc, int application);
int parley_opus_get_lookahead(OpusEncoder *enc, int *samples);
int parley_opus_decoder_reset(OpusDecoder *dec);

// sendmmsg(2), a GNU extension Swift's Glibc module does not expose. Datagram i is
// lengths[i] bytes at buffers[i], to the sockaddr of name_lengths[i] bytes at names[i].
// At most PARLEY_SENDMMSG_MAX per call; returns how many went, or -1 with errno set.
#define PARLEY_SENDMMSG_MAX 128
int parley_sendmmsg(int fd, void *const *buffers, const size_t *lengths, void *const *names,
                    const unsigned *name_lengths, unsigned count);

// recvmmsg(2) without waiting (MSG_DONTWAIT). Datagram i goes to buffers[i] (capacity
// bytes each), its length to lengths[i], its source to names[i] (each the size of a
// struct sockaddr_storage). At most PARLEY_RECVMMSG_MAX per call; returns how many
// came, or -1 with errno set (EAGAIN when none was waiting).
#define PARLEY_RECVMMSG_MAX 64
int parley_recvmmsg(int fd, void *const *buffers, size_t capacity, size_t *lengths, void *const *names,
                    unsigned count);

// recvmmsg(2) over headers the caller fills (the load generator's shared socket reads
// each datagram's IP_PKTINFO too). Swift's Glibc module is built without _GNU_SOURCE,
// so `struct mmsghdr` is declared here with its layout (checked in shim.c).
typedef struct {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} parley_mmsghdr;
int parley_recvmmsg_headers(int fd, parley_mmsghdr *messages, unsigned count);

// Names the calling thread (pthread_setname_np, a GNU extension; 15 characters at most).
int parley_set_thread_name(const char *name);

// The CMSG macros, which Swift cannot call (the load generator reads IP_PKTINFO and
// SCM_TIMESTAMPNS control messages).
static inline struct cmsghdr *parley_cmsg_firsthdr(struct msghdr *message) { return CMSG_FIRSTHDR(message); }
static inline struct cmsghdr *parley_cmsg_nxthdr(struct msghdr *message, struct cmsghdr *current) {
    return CMSG_NXTHDR(message, current);
}
static inline void *parley_cmsg_data(struct cmsghdr *current) { return CMSG_DATA(current); }
static inline size_t parley_cmsg_space(size_t length) { return CMSG_SPACE(length); }
static inline size_t parley_cmsg_len(size_t length) { return CMSG_LEN(length); }

// Asks the CPU to start loading `lines` cache lines from `p` before they are used:
// a town hall's fan-out walks a thousand sessions, none of them in cache. With
// write intent: the fan-out writes to what it loads (sequence numbers, nonces,
// reference counts), and a line fetched shared would need a second trip.
static inline void parley_prefetch(const void *p, unsigned lines) {
    for (unsigned i = 0; i < lines; i++) __builtin_prefetch((const char *)p + 64 * i, 1);
}

// OpenSSL macros.
long parley_ssl_set_mtu(SSL *ssl, long mtu);
long parley_dtls_set_link_mtu(SSL *ssl, long mtu);
long parley_dtls_get_timeout(SSL *ssl, long *sec, long *usec);
long parley_dtls_handle_timeout(SSL *ssl);
long parley_ssl_ctx_set_mode(SSL_CTX *ctx, long mode);
long parley_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *list);
long parley_bio_get_mem_data(BIO *bio, char **data);
EVP_PKEY *parley_evp_ec_gen_p256(void);
// Installs a verify callback that accepts any certificate: WebRTC peers use
// self-signed certificates, authenticated afterwards by the SDP fingerprint.
void parley_ssl_ctx_accept_any_peer_cert(SSL_CTX *ctx);
// Pins the peer certificate to a digest (the SDP fingerprint): the verify
// callback rejects any other leaf certificate during the handshake, so a
// wrong peer gets a bad_certificate alert before any key is derived.
// `md_name` is an OpenSSL digest name ("SHA256", "SHA384", "SHA512").
// Returns 1 on success. A rejection leaves X509_V_ERR_CERT_REJECTED as the
// SSL's verify result.
int parley_ssl_pin_peer_digest(SSL *ssl, const char *md_name, const unsigned char *digest, size_t len);
// Pins the context to DTLS 1.2 exactly (min and max protocol version macros).
long parley_ssl_ctx_pin_dtls12(SSL_CTX *ctx);
// SSL_OP_NO_QUERY_MTU: there is no socket to ask, the MTU is set explicitly.
void parley_ssl_set_no_query_mtu(SSL *ssl);
// An empty memory BIO reports "retry" instead of EOF, as a datagram BIO would.
long parley_bio_set_mem_eof_retry(BIO *bio);

#endif
