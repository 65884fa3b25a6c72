namespace Ekeng.Portal
{
    /// <summary>
    /// What the module did and what is left for the holder on EKENG's real pages: the checks it made (card, PINs,
    /// certificate, browser), the page, and the manual's remaining steps. Output by the registration and fee commands
    /// when no service that speaks the modelled API is named.
    /// </summary>
    public sealed class PortalGuide
    {
        public PortalGuide(PortalProcedure procedure, string? holderName, string? publicServiceNumber, GuideLanguage language, IReadOnlyList<PortalCheck> checks)
        {
            Procedure = procedure;
            HolderName = holderName;
            PublicServiceNumber = publicServiceNumber;
            Language = language;
            Checks = checks ?? throw new ArgumentNullException(nameof(checks));
            Uri = EkengPortal.PageOf(procedure);
            InfoUri = EkengPortal.InfoOf(procedure);
            Steps = PortalSteps.Of(procedure, language);
        }

        public PortalProcedure Procedure { get; }

        /// <summary>The holder's name in Latin letters, as the portal shows it when the certificate is chosen.</summary>
        public string? HolderName { get; }

        /// <summary>The ՀԾՀ the portal shows.</summary>
        public string? PublicServiceNumber { get; }

        /// <summary>The real page where the procedure continues.</summary>
        public Uri Uri { get; }

        /// <summary>EKENG's page with more about it, or null.</summary>
        public Uri? InfoUri { get; }

        /// <summary>The language of <see cref="Steps"/>.</summary>
        public GuideLanguage Language { get; }

        /// <summary>What the module checked, in the manual's order.</summary>
        public IReadOnlyList<PortalCheck> Checks { get; }

        /// <summary>True when no check failed: the card login at the portal can work.</summary>
        public bool Ready => Checks.All(c => c.Status != PortalCheckStatus.Fail);

        /// <summary>The manual's remaining steps, done by the holder on the page.</summary>
        public IReadOnlyList<string> Steps { get; }

        /// <summary>True when the page was opened in the default browser.</summary>
        public bool Opened { get; set; }

        public override string ToString() => $"{Procedure}: {Uri}";
    }
}
