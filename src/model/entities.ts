import { ApiToken, Organization, User } from './identity.entity';
import { AuditEvent } from './audit.entity';
import { Contract } from './contract.entity';
import { Deliverable, DeliverableReview, DeliverableSubmission } from './deliverable.entity';
import { FinancialReport, FinancialReportLine } from './financial-report.entity';
import { Investment } from './investment.entity';
import { Milestone } from './milestone.entity';
import { Project, ProjectManager } from './project.entity';
import { Risk, RiskAssessment } from './risk.entity';
import { ProjectUpdate } from './update.entity';
import { RateLimitEntry } from './rate-limit.entity';
import { ViewerVersion } from './viewer-version.entity';
import { QaMessage, QaThread } from './thread.entity';
import { ReportAcknowledgement } from './acknowledgement.entity';
import { DomainEvent, Notification, UserVisit } from './event.entity';
import { WebhookDelivery, WebhookEndpoint } from './webhook.entity';
import { EmailItem, EmailPreference } from './email.entity';
import { DocumentFolder, File, FileChunk, ProjectDocument } from './file.entity';
import { ExportJob } from './export.entity';

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
  DeliverableSubmission,
  DeliverableReview,
  FinancialReport,
  FinancialReportLine,
  Risk,
  RiskAssessment,
  ProjectUpdate,
  QaThread,
  QaMessage,
  ReportAcknowledgement,
  AuditEvent,
  RateLimitEntry,
  ViewerVersion,
  DomainEvent,
  Notification,
  UserVisit,
  WebhookEndpoint,
  WebhookDelivery,
  EmailPreference,
  EmailItem,
  DocumentFolder,
  ProjectDocument,
  File,
  FileChunk,
  ExportJob,
];
