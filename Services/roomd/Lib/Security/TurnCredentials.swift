import Crypto
import Foundation

/// coturn's REST-API credentials (`use-auth-secret`): username `expiry:participantId`,
/// password base64(HMAC-SHA1(secret, username)).
public enum TurnCredentials {
    public static func username(expiresAt: Date, participantId: String) -> String {
        "\(Int(expiresAt.timeIntervalSince1970)):\(participantId)"
    }

    public static func password(username: String, secret: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).base64EncodedString()
    }
}
