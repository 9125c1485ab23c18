namespace Q2Google.Failures;

/// <summary>
/// Google's quota day: it ends at midnight in America/Los_Angeles (docs/protocol.md#quota). Worked out from the
/// two rules US Pacific time has kept since 2007 (standard time UTC−8; daylight time UTC−7 from 02:00 on the
/// second Sunday in March to 02:00 on the first Sunday in November), so it needs no time-zone database: the
/// FROM-scratch image has none.
/// </summary>
public static class QuotaDay
{
    private static readonly TimeSpan Standard = TimeSpan.FromHours(-8);
    private static readonly TimeSpan Daylight = TimeSpan.FromHours(-7);

    /// <summary>The Pacific date at this instant: the day whose quota a request made now counts against.</summary>
    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(OffsetAt(instant)).DateTime);

    /// <summary>When the quota resets next: the coming midnight in Los Angeles, as an instant.</summary>
    public static DateTimeOffset NextReset(DateTimeOffset instant)
    {
        var midnight = Of(instant).AddDays(1).ToDateTime(TimeOnly.MinValue);
        // The clocks change at 02:00, never at midnight: the offset in force at midnight is the one of that instant.
        var ifStandard = new DateTimeOffset(midnight, Standard);
        return new DateTimeOffset(midnight, OffsetAt(ifStandard));
    }

    /// <summary>Pacific time's offset from UTC at this instant.</summary>
    public static TimeSpan OffsetAt(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        // 02:00 PST is 10:00 UTC; 02:00 PDT is 09:00 UTC.
        var starts = NthSunday(utc.Year, 3, 2).AddHours(10);
        var ends = NthSunday(utc.Year, 11, 1).AddHours(9);
        return utc >= starts && utc < ends ? Daylight : Standard;
    }

    private static DateTime NthSunday(int year, int month, int n)
    {
        var first = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        return first.AddDays(((7 - (int)first.DayOfWeek) % 7) + 7 * (n - 1));
    }
}
