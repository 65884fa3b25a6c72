namespace Ekeng.Portal
{
    /// <summary>
    /// The manual's remaining steps of each procedure, as the holder does them on EKENG's pages, in Armenian and
    /// English. The module cannot do these steps: the portal has no public API.
    /// </summary>
    public static class PortalSteps
    {
        /// <summary>The steps of a procedure in a language (the page's address inside the first step).</summary>
        public static IReadOnlyList<string> Of(PortalProcedure procedure, GuideLanguage language)
        {
            string page = EkengPortal.PageOf(procedure).AbsoluteUri;
            return language == GuideLanguage.Hy ? Armenian(procedure, page) : English(procedure, page);
        }

        private static string[] English(PortalProcedure procedure, string page)
        {
            string login = $"With the card in the reader, open {page} and log in with the card: choose the certificate that shows your name in Latin letters and your ՀԾՀ, then type the AuthPIN.";
            switch (procedure)
            {
                case PortalProcedure.Registration:
                    return new[]
                    {
                        login,
                        "Enter your mobile number (+374 ...).",
                        "Check that your data is right and accept the terms.",
                        "Enter the code of the SMS (ask to resend it if it does not arrive).",
                        "Press \"Activate the certificate\".",
                        "The certificate works with other services 3 to 5 hours later.",
                    };
                case PortalProcedure.FeePayment:
                    return new[]
                    {
                        login,
                        "Choose to pay the annual fee of the e-signature online.",
                        "Choose the card: ArCa, Visa or MasterCard; the bank's page opens.",
                        "Type the payment card's data on the bank's page only (never into a script).",
                        "When the bank confirms, print or save the receipt.",
                    };
                case PortalProcedure.RegisterAndPay:
                    return new[]
                    {
                        login,
                        "Enter your mobile number and give your consent.",
                        "Enter the 4-digit code of the SMS.",
                        "Pay the annual fee on the bank's page (ArCa, Visa or MasterCard).",
                        "When the bank confirms, the certificate's period is extended: print or save the receipt.",
                    };
                case PortalProcedure.RegistrationStatus:
                    return new[]
                    {
                        login,
                        "The portal shows whether you are registered and whether the certificate is activated.",
                    };
                case PortalProcedure.PaymentStatus:
                    return new[]
                    {
                        login,
                        "The portal shows the paid period and the receipts of your payments.",
                    };
                default:
                    throw new ArgumentOutOfRangeException(nameof(procedure));
            }
        }

        private static string[] Armenian(PortalProcedure procedure, string page)
        {
            string login = $"Քարտը ընթերցիչում՝ բացեք {page} և մուտք գործեք քարտով. ընտրեք այն վկայականը, որում երևում են Ձեր անունը լատինատառ և ՀԾՀ-ն, ապա մուտքագրեք AuthPIN-ը։";
            switch (procedure)
            {
                case PortalProcedure.Registration:
                    return new[]
                    {
                        login,
                        "Մուտքագրեք Ձեր բջջային հեռախոսահամարը (+374 ...)։",
                        "Ստուգեք Ձեր տվյալները և ընդունեք պայմանները։",
                        "Մուտքագրեք SMS-ով ստացված կոդը (եթե չի ստացվել՝ խնդրեք կրկին ուղարկել)։",
                        "Սեղմեք «Ակտիվացնել վկայականը»։",
                        "Վկայականը այլ ծառայություններում կաշխատի 3-5 ժամ անց։",
                    };
                case PortalProcedure.FeePayment:
                    return new[]
                    {
                        login,
                        "Ընտրեք էլեկտրոնային ստորագրության տարեկան վճարի առցանց վճարումը։",
                        "Ընտրեք քարտը՝ ArCa, Visa կամ MasterCard. կբացվի բանկի էջը։",
                        "Վճարային քարտի տվյալները մուտքագրեք միայն բանկի էջում (երբեք՝ սկրիպտում)։",
                        "Բանկի հաստատումից հետո տպեք կամ պահպանեք անդորրագիրը։",
                    };
                case PortalProcedure.RegisterAndPay:
                    return new[]
                    {
                        login,
                        "Մուտքագրեք Ձեր բջջային հեռախոսահամարը և տվեք Ձեր համաձայնությունը։",
                        "Մուտքագրեք SMS-ով ստացված 4-նիշ կոդը։",
                        "Վճարեք տարեկան վճարը բանկի էջում (ArCa, Visa կամ MasterCard)։",
                        "Բանկի հաստատումից հետո վկայականի ժամկետը երկարաձգվում է. տպեք կամ պահպանեք անդորրագիրը։",
                    };
                case PortalProcedure.RegistrationStatus:
                    return new[]
                    {
                        login,
                        "Պորտալը ցույց է տալիս՝ գրանցված եք արդյոք, և ակտիվացված է արդյոք վկայականը։",
                    };
                case PortalProcedure.PaymentStatus:
                    return new[]
                    {
                        login,
                        "Պորտալը ցույց է տալիս վճարված ժամկետը և Ձեր վճարումների անդորրագրերը։",
                    };
                default:
                    throw new ArgumentOutOfRangeException(nameof(procedure));
            }
        }
    }
}
