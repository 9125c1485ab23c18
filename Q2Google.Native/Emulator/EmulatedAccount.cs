using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Q2Google.Emulator;

/// <summary>
/// A Google account as the emulator plays it: the stable <c>sub</c> that owns grants, uploads, media items and
/// albums, and the e-mail address people see. Google keys an account on its sub because the address can change.
/// </summary>
internal sealed record EmulatedAccount(string Sub, string Email)
{
    /// <summary>
    /// The account behind an address the emulator was not told about (a <c>login_hint</c>). Its sub is derived
    /// from the address, so the same address always opens the same library, run after run.
    /// </summary>
    public static EmulatedAccount ForEmail(string email) => new(SubFor(email), email);

    /// <summary>21 decimal digits starting with 1, the shape of Google's subs, from a hash of the address.</summary>
    public static string SubFor(string email)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant()));
        var number = BinaryPrimitives.ReadUInt128BigEndian(hash) % ((UInt128)10_000_000_000UL * 10_000_000_000UL);
        return "1" + number.ToString("D20", CultureInfo.InvariantCulture);
    }
}
