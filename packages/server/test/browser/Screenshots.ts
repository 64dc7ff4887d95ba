/** The screenshots docs/ and the README show, as scripts/screenshots.sh writes them (one per state and width). */
export const states = ["form", "errors", "declined", "success", "expired", "dark-seats"] as const
export const screenshotNames = states.flatMap((state) => [`${state}-desktop.png`, `${state}-phone.png`])
