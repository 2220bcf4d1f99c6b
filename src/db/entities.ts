import { ApiToken, Organization, User } from '../modules/identity/identity.entity';
import { AuditEvent } from '../modules/audit/audit.entity';
import { Contract } from '../modules/contract/contract.entity';
import { Deliverable } from '../modules/deliverable/deliverable.entity';
import { FinancialReport, FinancialReportLine } from '../modules/financial-report/financial-report.entity';
import { Investment } from '../modules/investment/investment.entity';
import { Milestone } from '../modules/milestone/milestone.entity';
import { Project, ProjectManager } from '../modules/project/project.entity';
import { Risk, RiskAssessment } from '../modules/risk/risk.entity';
import { ProjectUpdate } from '../modules/update/update.entity';
import { RateLimitEntry } from '../core/limits/rate-limit.entity';

/** Every stored entity; the ORM config, migrations and the drift test use this list. */
export const entities = [
  Organization,
  User,
  ApiToken,
  Project,
  ProjectManager,
  Investment,
  Milestone,
  Contract,
  Deliverable,
  FinancialReport,
  FinancialReportLine,
  Risk,
  RiskAssessment,
  ProjectUpdate,
  AuditEvent,
  RateLimitEntry,
];
