// sendmmsg(2) and struct mmsghdr are GNU extensions.
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/uio.h>
#include "CShim.h"
#include <openssl/x509.h>
#include <openssl/crypto.h>
#include <string.h>
#include <pthread.h>
#include <stddef.h>

int parley_opus_set_bitrate(OpusEncoder *enc, int bitrate) { return opus_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate)); }
int parley_opus_set_complexity(OpusEncoder *enc, int complexity) { return opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity)); }
int parley_opus_set_inband_fec(OpusEncoder *enc, int on) { return opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(on)); }
int parley_opus_set_packet_loss_perc(OpusEncoder *enc, int percent) { return opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(percent)); }
int parley_opus_set_dtx(OpusEncoder *enc, int on) { return opus_encoder_ctl(enc, OPUS_SET_DTX(on)); }
int parley_opus_set_signal(OpusEncoder *enc, int signal) { return opus_encoder_ctl(enc, OPUS_SET_SIGNAL(signal)); }
int parley_opus_set_force_channels(OpusEncoder *enc, int channels) { return opus_encoder_ctl(enc, OPUS_SET_FORCE_CHANNELS(channels)); }
int parley_opus_encoder_reset(OpusEncoder *enc) { return opus_encoder_ctl(enc, OPUS_RESET_STATE); }
int parley_opus_set_application(OpusEncoder *enc, int application) { return opus_encoder_ctl(enc, OPUS_SET_APPLICATION(application)); }
int parley_opus_get_lookahead(OpusEncoder *enc, int *samples) { opus_int32 value = 0; int r = opus_encoder_ctl(enc, OPUS_GET_LOOKAHEAD(&value)); *samples = (int)value; return r; }
int parley_opus_decoder_reset(OpusDecoder *dec) { return opus_decoder_ctl(dec, OPUS_RESET_STATE); }

long parley_ssl_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }
long parley_dtls_set_link_mtu(SSL *ssl, long mtu) { return DTLS_set_link_mtu(ssl, mtu); }
long parley_dtls_get_timeout(SSL *ssl, long *sec, long *usec) {
    struct timeval tv = {0, 0};
    long r = DTLSv1_get_timeout(ssl, &tv);
    *sec = (long)tv.tv_sec;
    *usec = (long)tv.tv_usec;
    return r;
}
long parley_dtls_handle_timeout(SSL *ssl) { return DTLSv1_handle_timeout(ssl); }
long parley_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
long parley_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *list) { return SSL_CTX_set1_groups_list(ctx, list); }
long parley_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
EVP_PKEY *parley_evp_ec_gen_p256(void) { return EVP_EC_gen("P-256"); }

static int parley_accept_any(int preverify_ok, X509_STORE_CTX *ctx) { (void)preverify_ok; (void)ctx; return 1; }
void parley_ssl_ctx_accept_any_peer_cert(SSL_CTX *ctx) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, parley_accept_any);
}

long parley_ssl_ctx_pin_dtls12(SSL_CTX *ctx) {
    if (SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1) return 0;
    return SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
}
void parley_ssl_set_no_query_mtu(SSL *ssl) { SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU); }
long parley_bio_set_mem_eof_retry(BIO *bio) { return BIO_set_mem_eof_return(bio, -1); }

typedef struct {
    const EVP_MD *md;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len;
} parley_pin;

static void parley_pin_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp) {
    (void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
    OPENSSL_free(ptr);
}

static CRYPTO_ONCE parley_pin_once = CRYPTO_ONCE_STATIC_INIT;
static int parley_pin_ex_index = -1;
static void parley_pin_index_init(void) {
    parley_pin_ex_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, parley_pin_free);
}
static int parley_pin_index(void) {
    return CRYPTO_THREAD_run_once(&parley_pin_once, parley_pin_index_init) ? parley_pin_ex_index : -1;
}

static int parley_verify_pinned(int preverify_ok, X509_STORE_CTX *store) {
    (void)preverify_ok;
    // Self-signed is expected; only the leaf's digest decides.
    if (X509_STORE_CTX_get_error_depth(store) != 0) return 1;
    SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
    X509 *cert = X509_STORE_CTX_get_current_cert(store);
    parley_pin *pin = ssl ? SSL_get_ex_data(ssl, parley_pin_index()) : NULL;
    unsigned char actual[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (pin && cert && X509_digest(cert, pin->md, actual, &len) == 1
        && len == pin->len && CRYPTO_memcmp(actual, pin->digest, len) == 0) {
        X509_STORE_CTX_set_error(store, X509_V_OK);
        return 1;
    }
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return 0;
}

int parley_ssl_pin_peer_digest(SSL *ssl, const char *md_name, const unsigned char *digest, size_t len) {
    const EVP_MD *md = EVP_get_digestbyname(md_name);
    int index = parley_pin_index();
    if (md == NULL || index < 0 || len == 0 || len > EVP_MAX_MD_SIZE) return 0;
    parley_pin *pin = OPENSSL_zalloc(sizeof(parley_pin));
    if (pin == NULL) return 0;
    pin->md = md;
    memcpy(pin->digest, digest, len);
    pin->len = (unsigned int)len;
    if (SSL_set_ex_data(ssl, index, pin) != 1) { OPENSSL_free(pin); return 0; }
    SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, parley_verify_pinned);
    return 1;
}

int parley_sendmmsg(int fd, void *const *buffers, const size_t *lengths, void *const *names,
                    const unsigned *name_lengths, unsigned count) {
    if (count > PARLEY_SENDMMSG_MAX) count = PARLEY_SENDMMSG_MAX;
    struct mmsghdr headers[PARLEY_SENDMMSG_MAX];
    struct iovec vectors[PARLEY_SENDMMSG_MAX];
    memset(headers, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = buffers[i];
        vectors[i].iov_len = lengths[i];
        headers[i].msg_hdr.msg_name = names[i];
        headers[i].msg_hdr.msg_namelen = name_lengths[i];
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
    }
    return sendmmsg(fd, headers, count, 0);
}

int parley_recvmmsg(int fd, void *const *buffers, size_t capacity, size_t *lengths, void *const *names,
                    unsigned count) {
    if (count > PARLEY_RECVMMSG_MAX) count = PARLEY_RECVMMSG_MAX;
    struct mmsghdr headers[PARLEY_RECVMMSG_MAX];
    struct iovec vectors[PARLEY_RECVMMSG_MAX];
    memset(headers, 0, sizeof(struct mmsghdr) * count);
    for (unsigned i = 0; i < count; i++) {
        vectors[i].iov_base = buffers[i];
        vectors[i].iov_len = capacity;
        headers[i].msg_hdr.msg_name = names[i];
        headers[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
    }
    int received = recvmmsg(fd, headers, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < received; i++) lengths[i] = headers[i].msg_len;
    return received;
}

_Static_assert(sizeof(parley_mmsghdr) == sizeof(struct mmsghdr), "parley_mmsghdr is struct mmsghdr");
_Static_assert(offsetof(parley_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "parley_mmsghdr is struct mmsghdr");

int parley_recvmmsg_headers(int fd, parley_mmsghdr *messages, unsigned count) {
    return recvmmsg(fd, (struct mmsghdr *)messages, count, 0, NULL);
}

int parley_set_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}
