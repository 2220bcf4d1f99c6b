/** GraphQL documents of the dashboard tests. */

export const FINANCIALS = `
  asOf currency budget committed actualToDate estimateToComplete estimateAtCompletion varianceAtCompletion burnRate reportedThrough publishedPeriods
  spendByPeriod { periodStart periodEnd revision planned actual cumulativePlanned cumulativeActual estimateToComplete }
  spendByCategory { category planned actual estimateToComplete }`;

export const EARNED_VALUE = `
  asOf currency plannedValue earnedValue actualCost costPerformanceIndex schedulePerformanceIndex costVariance scheduleVariance`;

export const MILESTONES = `
  asOf total done overdue dueNext30Days percentComplete percentCompleteBasis nextMilestone { id title }`;

export const RISKS = `
  open bySeverity { low medium high critical } exposure exposureChange rising falling
  topRisks { score previousScore change risk { id title } }`;

export const CONTRACT_TOTALS = `count value byStatus { status count value }`;

export const DELIVERABLES = `
  asOf total byStatus { status count } overdue awaitingReview decided acceptanceRate onTimeRate nextDue { id title }`;

export const PORTFOLIO_TOTALS = `
  currency projectCount reportingProjectCount budget committed actualToDate estimateToComplete estimateAtCompletion varianceAtCompletion burnRate
  plannedValue earnedValue costVariance scheduleVariance costPerformanceIndex schedulePerformanceIndex`;

/** Every project figure the viewer may ask for, for one asOf. */
export const PROJECT_FIGURES = `
  query ProjectFigures($asOf: Date, $top: Int) {
    projects(first: 100) {
      nodes {
        id code
        financials(asOf: $asOf) { ${FINANCIALS} }
        earnedValue(asOf: $asOf) { ${EARNED_VALUE} }
        milestoneSummary(asOf: $asOf) { ${MILESTONES} }
        riskSummary(top: $top) { ${RISKS} }
        commitments { ${CONTRACT_TOTALS} }
      }
    }
  }`;

export const PARTNER_SUMMARY = `
  query Partner($asOf: Date) {
    viewer {
      partnerSummary(asOf: $asOf) {
        asOf
        contractTotals { ${CONTRACT_TOTALS} }
        deliverableStats { ${DELIVERABLES} }
        contracts(first: 100) { nodes { id reference deliverableStats(asOf: $asOf) { ${DELIVERABLES} } } }
      }
    }
  }`;

export const PORTFOLIO = `
  query Portfolio($asOf: Date, $orderBy: PortfolioOrder, $first: Int, $top: Int) {
    viewer {
      portfolio(asOf: $asOf, orderBy: $orderBy) {
        asOf projectCount
        totals { ${PORTFOLIO_TOTALS} }
        milestoneSummary { ${MILESTONES} }
        riskSummary(top: $top) { ${RISKS} }
        projects(first: $first) {
          totalCount
          nodes {
            rank
            project { id code }
            financials { ${FINANCIALS} }
            earnedValue { ${EARNED_VALUE} }
            milestoneSummary { ${MILESTONES} }
            riskSummary(top: $top) { ${RISKS} }
            commitments { ${CONTRACT_TOTALS} }
          }
        }
      }
    }
  }`;

/** The same portfolio without the financial parts: what a partner may ask. */
export const PORTFOLIO_NON_FINANCIAL = `
  query PortfolioNonFinancial($asOf: Date, $orderBy: PortfolioOrder, $first: Int, $top: Int) {
    viewer {
      portfolio(asOf: $asOf, orderBy: $orderBy) {
        asOf projectCount
        milestoneSummary { ${MILESTONES} }
        riskSummary(top: $top) { ${RISKS} }
        projects(first: $first) {
          totalCount
          nodes {
            rank
            project { id code }
            milestoneSummary { ${MILESTONES} }
            riskSummary(top: $top) { ${RISKS} }
          }
        }
      }
    }
  }`;
