//! NANP phone numbers of the demo and the messy formats vendors deliver them in.

// Phone numbers

/// A NANP number: area code, exchange, line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Num {
    pub(super) area: u16,
    pub(super) exch: u16,
    pub(super) line: u16,
}

/// How a number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    E164,
    Digits11,
    Bare10,
    Paren,
    Dash,
    Dotted,
    Spaced,
    Ext(u16),
}

impl Num {
    pub(super) fn e164(self) -> String {
        self.styled(Style::E164)
    }

    pub(super) fn styled(self, style: Style) -> String {
        let (a, e, l) = (self.area, self.exch, self.line);
        match style {
            Style::E164 => format!("+1{a}{e:03}{l:04}"),
            Style::Digits11 => format!("1{a}{e:03}{l:04}"),
            Style::Bare10 => format!("{a}{e:03}{l:04}"),
            Style::Paren => format!("({a}) {e:03}-{l:04}"),
            Style::Dash => format!("{a}-{e:03}-{l:04}"),
            Style::Dotted => format!("{a}.{e:03}.{l:04}"),
            Style::Spaced => format!("+1 {a} {e:03} {l:04}"),
            Style::Ext(x) => format!("{a}-{e:03}-{l:04} x{x}"),
        }
    }
}
